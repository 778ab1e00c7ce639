"""Builds the distribution kinesis-producer-engine (import name kinesis_producer) with the
project's CMake, for pip and for `python -m build` (docs/python.md):

    pip install ./python                      (configures and builds in build/pip-*)
    KP_BUILD_DIR=build/release pip install --no-build-isolation ./python
                                              (reuses a configured tree: builds one target)
    python -m build --sdist python            (an sdist that builds on its own)

The C++ sources come from the repository (the folder above this one) or, in an sdist, from its
folder cpp/, where `sdist` copies what the build needs (CPP_PARTS). Nothing is written into
python/: setuptools' build folders and the egg-info go to a temporary folder, the CMake tree to
the project's build/pip-* in a checkout (checkout_build_dir), to the temporary folder in an
sdist.

The wheel holds the package, its extension (_native) and libkinesis_producer.so.0 beside it:
the extension finds the library through its RPATH ($ORIGIN). It still needs libcurl, OpenSSL
and simdjson from the system; `auditwheel repair` (scripts/build-wheel) bundles them.
"""
import atexit
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.sdist import sdist

HERE = os.path.dirname(os.path.abspath(__file__))
# What the library and the extension are built from, relative to the project's root.
CPP_PARTS = ["CMakeLists.txt", "LICENSE", "NOTICE", "CHANGELOG.md", "cmake", "include", "src",
             "packaging", "python/CMakeLists.txt", "python/src", "python/kinesis_producer"]


def project_root():
    """The project's CMake sources: cpp/ in an sdist, else the repository above python/."""
    bundled = os.path.join(HERE, "cpp")
    if os.path.exists(os.path.join(bundled, "CMakeLists.txt")):
        return bundled
    return os.path.dirname(HERE)


def configured_build_dir():
    """KP_BUILD_DIR, a configured tree to reuse, as an absolute path; a relative one is taken
    from the folder pip was started in ($PWD: pip runs this file in the package's folder)."""
    value = os.environ.get("KP_BUILD_DIR")
    if not value:
        return None
    path = os.path.join(os.environ.get("PWD") or os.getcwd(), value)
    if not os.path.exists(os.path.join(path, "CMakeCache.txt")):
        raise SystemExit(
            f"KP_BUILD_DIR={value}: {path} is not a configured CMake build tree (no "
            "CMakeCache.txt); configure it first (cmake -S . -B build/release) or leave "
            "KP_BUILD_DIR unset to build in a temporary folder")
    return path


def scratch_dir():
    """A folder outside the source tree for setuptools' build folders and egg-info (pip builds
    in the tree it is given), removed when this process ends."""
    path = tempfile.mkdtemp(prefix="kinesis-producer-build-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def checkout_build_dir():
    """In a checkout (not an sdist), the CMake tree build/pip-<interpreter>-<hash of its path>
    of the project, like the trees the README configures (build/ is git's to ignore): a second
    pip install rebuilds only what changed, and at the depth of those trees its compiler
    commands are theirs, so a compiler cache serves it their objects. None in an sdist."""
    root = project_root()
    if root != os.path.dirname(HERE):
        return None
    interpreter = hashlib.sha256(os.path.realpath(sys.executable).encode()).hexdigest()[:8]
    return os.path.join(root, "build", f"pip-{sys.implementation.cache_tag}-{interpreter}")


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = configured_build_dir()
        if build_dir is None:
            build_dir = (checkout_build_dir() or
                         os.path.join(os.path.abspath(self.build_temp), "cmake"))
            self.configure(build_dir)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 2)
        subprocess.run(["cmake", "--build", build_dir, "--target", "kp_python_native", "-j", jobs],
                       check=True)
        built = os.path.join(build_dir, "python", "kinesis_producer")
        native = [f for f in os.listdir(built) if f.startswith("_native") and f.endswith(".so")]
        if len(native) != 1:
            raise RuntimeError(f"expected one _native*.so in {built}, found {native}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(built, native[0]), target)
        library = os.path.join(build_dir, "src", "capi", "libkinesis_producer.so.0")
        shutil.copyfile(os.path.realpath(library),
                        os.path.join(os.path.dirname(target), "libkinesis_producer.so.0"))

    @staticmethod
    def configure(build_dir):
        """A release tree of the library and the extension alone, for this interpreter: no
        programs, tests or benchmarks, no -Werror (another compiler may warn more)."""
        command = ["cmake", "-S", project_root(), "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                   f"-DKP_PYTHON={sys.executable}", "-DKP_BUILD_PYTHON=ON",
                   "-DKP_BUILD_PROGRAMS=OFF", "-DKP_BUILD_TESTS=OFF", "-DKP_BUILD_BENCH=OFF",
                   "-DKP_WERROR=OFF"]
        if shutil.which("ninja"):
            command += ["-G", "Ninja"]
        if shutil.which("ccache") and not os.environ.get("CMAKE_CXX_COMPILER_LAUNCHER"):
            command += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache",
                        "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        try:  # pybind11 from PyPI in an isolated build; else CMake finds the system's
            import pybind11
            command.append(f"-Dpybind11_DIR={pybind11.get_cmake_dir()}")
        except ImportError:
            pass
        subprocess.run(command, check=True)


class SdistWithSources(sdist):
    """The sdist carries the project's C++ sources in cpp/, so that it builds on its own."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        root = os.path.dirname(HERE)
        if not os.path.exists(os.path.join(root, "python", "setup.py")):
            raise SystemExit(f"an sdist is made in the repository, not in {HERE}")
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for part in CPP_PARTS:
            source = os.path.join(root, part)
            target = os.path.join(base_dir, "cpp", part)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.isdir(source):
                shutil.copytree(source, target, ignore=ignore)
            else:
                shutil.copy2(source, target)


def project_version():
    """The version of the top-level project(VERSION), the one place it is written: from a
    configured build tree's kinesis/version.h (KP_BUILD_DIR), else from the CMakeLists.txt."""
    build_dir = configured_build_dir()
    if build_dir:
        path = os.path.join(build_dir, "include", "kinesis", "version.h")
        pattern = r'#define KINESIS_PRODUCER_VERSION "([0-9.]+)"'
    else:
        path = os.path.join(project_root(), "CMakeLists.txt")
        pattern = r"project\(kinesis_producer VERSION ([0-9.]+)"
    with open(path, encoding="utf-8") as f:
        match = re.search(pattern, f.read())
    if not match:
        raise RuntimeError(f"no version in {path}")
    return match.group(1)


scratch = scratch_dir()
setup(version=project_version(),
      ext_modules=[Extension("kinesis_producer._native", sources=[])],
      cmdclass={"build_ext": CMakeBuild, "sdist": SdistWithSources},
      options={"build": {"build_base": os.path.join(scratch, "build")},
               "egg_info": {"egg_base": scratch}})
