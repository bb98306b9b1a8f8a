"""pip install --no-build-isolation . : builds the CMake target _diffbound (python/CMakeLists.txt) and
installs it with the package python/diffbound.

The module is built in a fresh CMake build folder under setuptools' build_temp (Release, no tests, no
benchmarks, for the Python running pip), or, when DIFFBOUND_BUILD_DIR names an already configured build
folder, in that one (only the target _diffbound is built; its configuration is left alone). The build's
parallelism is CMake's: CMAKE_BUILD_PARALLEL_LEVEL.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(diffbound VERSION ([0-9.]+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("DIFFBOUND_BUILD_DIR")
        if build_dir:
            build_dir = pathlib.Path(build_dir).resolve()
            if not (build_dir / "CMakeCache.txt").exists():
                raise SystemExit(f"setup.py: DIFFBOUND_BUILD_DIR = {build_dir}: not a configured CMake build folder")
        else:
            build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
            build_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                            "-DDIFFBOUND_BUILD_TESTS=OFF", "-DDIFFBOUND_BUILD_BENCH=OFF", "-DDIFFBOUND_BUILD_PYTHON=ON",
                            f"-DPython_EXECUTABLE={sys.executable}"], check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_diffbound"], check=True)
        built = list((build_dir / "python" / "diffbound").glob("_diffbound*.so"))
        if len(built) != 1:
            raise SystemExit(f"setup.py: expected one _diffbound*.so in {build_dir}/python/diffbound, found {built}")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)


setup(
    name="diffbound",
    version=version(),
    description="Exact KL/W2/TV of diffusion samplers and published convergence bounds checked against them",
    packages=["diffbound"],
    package_dir={"": "python"},
    ext_modules=[Extension("diffbound._diffbound", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    # not setuptools' default "build": that is the CMake build folder of the README
    options={"build": {"build_base": "build-pip"}},
    python_requires=">=3.9",
    zip_safe=False,
)
