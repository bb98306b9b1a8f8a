# Finds pybind11 (Debian's pybind11-dev) and a Python with headers for the module in python/.
# Debian's /usr/bin/python3 is preferred: a python3 first on PATH (pyenv, a venv) may lack the Debian packages
# (numpy, pandas, pytest) the tests use, and pybind11 would otherwise build against whichever it finds first.
# Sets DIFFBOUND_PYTHON_FOUND; when pybind11 or the headers are missing the module is skipped with a message.
set(DIFFBOUND_PYTHON_FOUND OFF)
if(NOT Python_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python for the diffbound module")
endif()
set(PYBIND11_FINDPYTHON ON)  # FindPython (honours Python_EXECUTABLE), not the deprecated FindPythonInterp
find_package(Python 3.8 COMPONENTS Interpreter Development.Module QUIET)
if(Python_FOUND)
  find_package(pybind11 2.10 CONFIG QUIET)
endif()
if(Python_FOUND AND pybind11_FOUND)
  set(DIFFBOUND_PYTHON_FOUND ON)
  message(STATUS "diffbound: Python module with pybind11 ${pybind11_VERSION}, ${Python_EXECUTABLE} (${Python_VERSION})")
else()
  message(STATUS "diffbound: Python module not built (needs pybind11-dev and python3-dev; -DDIFFBOUND_BUILD_PYTHON=OFF silences this)")
endif()
