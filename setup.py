"""Builds wordspace._wordspace with the project's CMake build, for `pip install .` (pyproject.toml).

Only the extension module's target is built (the libraries it links and the module, not the
tests or benchmarks), in build/pip/cmake unless WORDSPACE_CMAKE_BUILD_DIR names a build folder
already configured by scripts/setup.sh (then that one is reused, which takes seconds instead of
minutes). The module and the package's Python files are copied where setuptools packs them;
the installed package needs nothing from the clone.
"""
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = pathlib.Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        reuse = os.environ.get("WORDSPACE_CMAKE_BUILD_DIR")
        if reuse:
            build_dir = pathlib.Path(reuse).resolve()
            if not (build_dir / "CMakeCache.txt").exists():
                sys.exit(f"WORDSPACE_CMAKE_BUILD_DIR={reuse}: no CMakeCache.txt there; "
                         "run bash scripts/setup.sh first, or unset it to build afresh")
        else:
            build_dir = SOURCE / "build" / "pip" / "cmake"
            build_dir.mkdir(parents=True, exist_ok=True)
            subprocess.check_call([
                "cmake", "-S", str(SOURCE), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                "-DWORDSPACE_BUILD_TESTS=OFF", "-DWORDSPACE_BUILD_BENCH=OFF",
                f"-DPython_EXECUTABLE={sys.executable}"])
        jobs = str(os.cpu_count() or 1)
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_wordspace",
                               "-j", jobs])
        built = list((build_dir / "python" / "wordspace").glob("_wordspace*.so"))
        if len(built) != 1:
            sys.exit(f"expected one _wordspace*.so in {build_dir}/python/wordspace, found "
                     f"{[str(p) for p in built]}: was the module skipped (python3-dev, "
                     "pybind11-dev missing)? See the CMake output above")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


setup(ext_modules=[CMakeExtension("wordspace._wordspace")], cmdclass={"build_ext": CMakeBuild})
