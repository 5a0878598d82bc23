#!/usr/bin/env bash
# Installs what building and testing Duet needs on Debian 12, and nothing
# that is already there. Uses sudo when not run as root.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  libasio-dev libspdlog-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev
  libsodium-dev libssl-dev liblzf-dev libjemalloc-dev
  liblua5.1-0-dev lua-cjson lua-bitop
  # the real peers and clients the tests talk to
  redis-server redis-tools memcached libmemcached-tools
  python3 python3-pytest python3-redis python3-memcache python3-pymemcache
  # system-call tracing (the AOF write/fsync/reply order test)
  strace
  # sanitizer and fuzzing builds
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) != 0 ]]; then sudo=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts the packaged servers; the tests start their own on free ports.
$sudo systemctl disable --now redis-server memcached >/dev/null 2>&1 || true
