"""Builds the kinesis_producer package's extension with the project's CMake for pip.

    pip install ./python                      (configures and builds in pip's build folder)
    KP_BUILD_DIR=build/release pip install --no-build-isolation ./python
                                              (reuses a configured tree: builds one target)

The wheel holds the package, its extension (_native) and libkinesis_producer.so.0 beside it:
the extension finds the library through its RPATH ($ORIGIN), so the wheel is self-contained.
"""
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("KP_BUILD_DIR") or os.path.abspath(self.build_temp)
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            subprocess.run(["cmake", "-S", SOURCE_DIR, "-B", build_dir, "-G", "Ninja",
                            "-DCMAKE_BUILD_TYPE=Release", f"-DKP_PYTHON={sys.executable}",
                            "-DKP_BUILD_BENCH=OFF", "-DKP_BUILD_TESTS=OFF"], check=True)
        subprocess.run(["cmake", "--build", build_dir, "--target", "kp_python_native"],
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


def project_version():
    """The version of the top-level project(VERSION), the one place it is written: from a
    configured build tree's kinesis/version.h (KP_BUILD_DIR), else from the CMakeLists.txt."""
    build_dir = os.environ.get("KP_BUILD_DIR")
    if build_dir:
        path = os.path.join(build_dir, "include", "kinesis", "version.h")
        pattern = r'#define KINESIS_PRODUCER_VERSION "([0-9.]+)"'
    else:
        path = os.path.join(SOURCE_DIR, "CMakeLists.txt")
        pattern = r"project\(kinesis_producer VERSION ([0-9.]+)"
    with open(path, encoding="utf-8") as f:
        match = re.search(pattern, f.read())
    if not match:
        raise RuntimeError(f"no version in {path}")
    return match.group(1)


setup(version=project_version(),
      ext_modules=[Extension("kinesis_producer._native", sources=[])],
      cmdclass={"build_ext": CMakeBuild})
