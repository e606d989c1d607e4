#!/usr/bin/env bash
# The one test command (README, .ci/run). Builds everything in Release and runs every test project.
# Services later issues need (RabbitMQ, Chromium) are installed and started here, never assumed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services/postgres.sh || { [ "${CI:-}" != true ] || exit 1; echo "test.sh: no PostgreSQL, the store tests will skip"; }

# Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing Debian's chromium for the dashboard's browser tests"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# A hung test fails the run with its name after 10 min (the longest test, the soak, takes about a minute).
dotnet test MarketFeed.slnx -c Release --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee "$log" || status=$?

# One plain closing line over all test assemblies, so a run that executed no test is visible as such.
awk '/(Passed|Failed)! +- +Failed:/ {
        gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' "$log" || status=1
exit "$status"
