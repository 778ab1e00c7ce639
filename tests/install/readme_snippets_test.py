"""Every C and C++ block of README.md compiles cleanly, and the examples it shows are the files.

    readme_snippets_test.py SOURCE_DIR GENERATED_INCLUDE_DIR

Each ```c block is compiled as C99 and each ```cpp block as C++20, with -Wall -Wextra
-Wpedantic -Werror, against include/ (and the generated kinesis/version.h): a block must be a
whole translation unit, as a user would paste it. A block introduced as "This is
`examples/...`" must equal that file.
"""
import os
import re
import subprocess
import sys
import tempfile

source_dir, generated_include = sys.argv[1], sys.argv[2]
readme = open(os.path.join(source_dir, "README.md"), encoding="utf-8").read()
compilers = {
    "c": ["cc", "-std=c99", "-x", "c"],
    "cpp": ["c++", "-std=c++20", "-x", "c++"],
}
passed = failed = 0
blocks = list(re.finditer(r"^```(c|cpp)\n(.*?)^```$", readme, re.S | re.M))
if not blocks:
    print("README.md has no C or C++ block")
    sys.exit(1)
for match in blocks:
    language, code = match.group(1), match.group(2)
    line = readme.count("\n", 0, match.start()) + 1
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "snippet")
        with open(path, "w", encoding="utf-8") as f:
            f.write(code)
        command = compilers[language] + [
            "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only",
            "-I", os.path.join(source_dir, "include"), "-I", generated_include, path]
        run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        failed += 1
        print(f"README.md:{line}: the ```{language} block does not compile cleanly:")
        print(run.stderr.replace(path, f"README.md block at line {line}"))
    else:
        passed += 1
        print(f"README.md:{line}: ```{language} block compiles ({len(code.splitlines())} lines)")
    # "This is `examples/c/put.c`" (in the paragraph before the block): the block is that file.
    before = readme[:match.start()].rsplit("\n\n", 2)[-2:]
    named = re.search(r"This is `(examples/[^`]+)`", "\n\n".join(before))
    if named:
        with open(os.path.join(source_dir, named.group(1)), encoding="utf-8") as f:
            if f.read() != code:
                failed += 1
                print(f"README.md:{line}: the block differs from {named.group(1)}")
            else:
                passed += 1
                print(f"README.md:{line}: the block is {named.group(1)}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
