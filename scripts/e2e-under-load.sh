#!/usr/bin/env bash
# Runs the Playwright e2e suite three times in a row while other processes keep every core busy,
# to show the suite does not depend on the machine's speed (no fixed sleeps; web-first assertions).
#   npm run test:e2e:load                 # all specs, 3 rounds
#   ROUNDS=1 npm run test:e2e:load -- e2e/keyboard.spec.ts
# Exits non-zero if any round fails. The burners are ended by their process ids when it finishes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"
CORES="$(nproc 2>/dev/null || echo 2)"

npm run build >/dev/null

burners=()
stop_burners() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_burners EXIT
for _ in $(seq "$CORES"); do
  node -e 'for (;;) { Math.sqrt(Math.random()); }' &
  burners+=("$!")
done
echo "e2e under load: ${CORES} busy loops (pids ${burners[*]}), ${ROUNDS} rounds"

for round in $(seq "$ROUNDS"); do
  echo "── round ${round}/${ROUNDS}"
  if ! npx playwright test "$@"; then
    echo "e2e under load: round ${round} failed"
    exit 1
  fi
done
echo "e2e under load: ${ROUNDS} rounds passed"
