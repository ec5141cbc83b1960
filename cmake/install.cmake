# `cmake --install BUILD --prefix PREFIX`: the headers under PREFIX/include/grutape (grutape.hpp,
# core/, autodiff/, layers/, optim/ as in the source tree, without their detail/ folders),
# libgrutape, and the package files that let another project say find_package(grutape) and link
# grutape::grutape (examples/consumer does).
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

# Headers in detail/ folders are the library's internals and stay behind.
install(DIRECTORY core autodiff layers optim
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/grutape
  FILES_MATCHING PATTERN "*.hpp" PATTERN "detail" EXCLUDE)
install(FILES grutape.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/grutape)
install(TARGETS grutape EXPORT grutapeTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT grutapeTargets NAMESPACE grutape::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/grutape)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/grutapeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/grutapeConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/grutape)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/grutapeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/grutapeConfig.cmake
  ${PROJECT_BINARY_DIR}/grutapeConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/grutapeLinkDependencies.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/grutape)
