# Sourced by bench/load.sh and bench/scale.sh: builds the service and sets service_cmd to the command that runs it.
#   build_service aot   the native executable, as the container image ships it (a few minutes the first time: the native
#                       compiler, which needs clang and zlib1g-dev; seconds when nothing changed)
#   build_service jit   the Release build on the .NET runtime, as `dotnet run` runs it
build_service() {
  if [ "$1" = aot ]; then
    dotnet publish -c Release --use-current-runtime src/CoopFeeds --nologo -v q >/dev/null
    service_cmd=(src/CoopFeeds/bin/Release/net10.0/"$(dotnet --info | awk '$1 == "RID:" {print $2; exit}')"/publish/CoopFeeds)
  else
    dotnet build -c Release src/CoopFeeds --nologo -v q >/dev/null
    service_cmd=(dotnet src/CoopFeeds/bin/Release/net10.0/CoopFeeds.dll)
  fi
}
