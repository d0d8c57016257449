# The Unicode data tables of core/src/unicode_text.cpp, generated at build
# time from the Unicode Character Database as Debian's unicode-data package
# installs it (no runtime dependency; the generated file stays in the build
# tree). Used by the top-level CMakeLists.txt and tests/fuzz.
#
#   include(core/tools/unicode_tables.cmake)
#   reelrank_unicode_tables(<dir>)
#
# Sets REELRANK_UCD_DIR (cache), REELRANK_GENERATED_DIR (= <dir>) and
# REELRANK_UNICODE_TABLES (the generated <dir>/unicode_tables.inc, to list in
# the core's sources; <dir> goes on its include path).
set(REELRANK_UCD_DIR "/usr/share/unicode" CACHE PATH
  "Unicode Character Database (Debian package unicode-data)")
set(_reelrank_unicode_tools "${CMAKE_CURRENT_LIST_DIR}")

function(reelrank_unicode_tables dir)
  if(NOT EXISTS "${REELRANK_UCD_DIR}/UnicodeData.txt")
    message(FATAL_ERROR "No Unicode Character Database in ${REELRANK_UCD_DIR}: "
      "install Debian's unicode-data (tests/lib/setup.sh does) or set REELRANK_UCD_DIR")
  endif()
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  set(out "${dir}/unicode_tables.inc")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND Python3::Interpreter "${_reelrank_unicode_tools}/gen_unicode_tables.py"
      --ucd "${REELRANK_UCD_DIR}" --out "${out}"
    DEPENDS "${_reelrank_unicode_tools}/gen_unicode_tables.py"
      "${REELRANK_UCD_DIR}/UnicodeData.txt"
      "${REELRANK_UCD_DIR}/DerivedNormalizationProps.txt"
      "${REELRANK_UCD_DIR}/auxiliary/WordBreakProperty.txt"
      "${REELRANK_UCD_DIR}/emoji/emoji-data.txt"
    COMMENT "Generating the Unicode tables from ${REELRANK_UCD_DIR}"
    VERBATIM)
  set(REELRANK_GENERATED_DIR "${dir}" PARENT_SCOPE)
  set(REELRANK_UNICODE_TABLES "${out}" PARENT_SCOPE)
endfunction()
