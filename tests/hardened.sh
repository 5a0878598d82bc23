#!/usr/bin/env bash
# The sanitizer and fuzzing run, after the release build and suite in the
# README's test command: a clang build with AddressSanitizer,
# UndefinedBehaviorSanitizer and LeakSanitizer (any report is fatal), in its
# own build folder, that runs the unit, command and integration tests, then
# each libFuzzer target in tests/fuzz for DUET_FUZZ_SECONDS (default 30).
#
# Sanitizer reports of the server processes the integration tests start go to
# files under the build folder (their stderr is not watched by the tests); any
# such file fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${DUET_HARDENED_DIR:-build-hardened}
start=$SECONDS

cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" -DDUET_SANITIZE=ON -DDUET_FUZZ=ON \
  "-DDUET_FUZZ_SECONDS=${DUET_FUZZ_SECONDS:-30}" >/dev/null
cmake --build "$dir"
echo "hardened: build took $((SECONDS - start)) s"

reports="$PWD/$dir/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan:log_exe_name=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="log_path=$reports/lsan"
# ASan keeps freed memory in quarantine: the hostile tests allow more RSS.
export DUET_RSS_SLACK_MB=512 DUET_SANITIZED=1

ctest_start=$SECONDS
status=0
ctest --test-dir "$dir" --output-on-failure || status=$?
echo "hardened: tests and fuzzing took $((SECONDS - ctest_start)) s"
if compgen -G "$reports/*" >/dev/null; then
  echo "hardened: sanitizer reports:" >&2
  for f in "$reports"/*; do
    echo "== $f" >&2
    head -n 60 "$f" >&2
  done
  status=1
fi
exit "$status"
