# Third-party setup for an Emscripten build (included by the root
# CMakeLists.txt and by the stand-alone wasm bench module in tests/bench):
# Eigen and nlohmann_json found on the host, with only nlohmann/ exposed to
# the compiler, and the acorn module emcc's JS optimizer needs.
# Find on the host, then expose only nlohmann/ so glibc headers never shadow
# musl's (a plain -isystem /usr/include breaks the Emscripten build).
find_package(Eigen3 3.3 REQUIRED NO_MODULE NO_CMAKE_FIND_ROOT_PATH)
find_package(nlohmann_json 3.2 REQUIRED NO_CMAKE_FIND_ROOT_PATH)
get_target_property(_nl_inc nlohmann_json::nlohmann_json INTERFACE_INCLUDE_DIRECTORIES)
list(GET _nl_inc 0 _nl_inc)
set(_host_hdrs "${CMAKE_BINARY_DIR}/host-headers")
file(MAKE_DIRECTORY "${_host_hdrs}")
if(NOT EXISTS "${_host_hdrs}/nlohmann")
  file(CREATE_LINK "${_nl_inc}/nlohmann" "${_host_hdrs}/nlohmann" SYMBOLIC)
endif()
set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${_host_hdrs}")
# emcc's JS optimizer (link at -O2+) needs acorn from Debian's node-acorn.
if(EXISTS "/usr/share/nodejs/acorn" AND NOT CMAKE_CXX_LINKER_LAUNCHER)
  set(CMAKE_CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs")
endif()
