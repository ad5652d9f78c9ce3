#!/usr/bin/env bash
# Every test, the type check and lint, as `npm test` runs them. Much of the suite waits rather than computes
# (pcscd's 400 ms presence poll, Chromium, sockets, child processes), so these jobs share the two cores side
# by side:
#   - the unit, integration and e2e projects, each as its files one after another in one process that keeps
#     its modules from file to file: loading the host's module graph once per project instead of once per
#     file takes a third off the suite's CPU time (a file stops what it starts, so the next file finds
#     nothing of it running);
#   - the serial lane, `*.serial.test.ts` one at a time (pcscd and vpcd are one per machine);
#   - the key-timing lane, `*.keys.test.ts`, which mostly waits for a page's timers to settle;
#   - the type check, and lint.
# The lanes print when they end, in a fixed order, so their lines do not interleave. With arguments it is
# plain `vitest run <args>`.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ $# -gt 0 ]; then exec npx vitest run "$@"; fi

# Every vitest run below serves the same renderer build: make it once, before any of them could start one.
npx tsx -e "import('./electron/launch/renderer-build.ts').then((m) => m.ensureRendererBuilt(console.log))" || exit 1

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
trap 'kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
lane() { # lane NAME -- vitest arguments…
  local name=$1
  shift
  POS_TEST_TOTALS="$logs/totals-$name" npx vitest run "$@"
}

# One process per project, its files one after another, modules kept between files.
oneProcess=(--poolOptions.forks.singleFork --poolOptions.forks.isolate=false)
pids=()
for name in e2e integration unit serial keys typecheck lint; do
  case $name in
    serial | keys) lane "$name" --project "$name" ;;
    typecheck) npx tsc -p tsconfig.json --noEmit ;;
    lint) npx biome check . ;;
    *) lane "$name" --project "$name" "${oneProcess[@]}" ;;
  esac >"$logs/$name" 2>&1 &
  pids+=("$name:$!")
done
echo "running side by side: ${pids[*]%%:*} (each prints when it ends)"

statuses=()
for job in "${pids[@]}"; do
  name=${job%%:*}
  wait "${job#*:}"
  statuses+=($?)
  printf '\n── %s ──\n' "$name"
  if [ "$name" = typecheck ] && [ "${statuses[-1]}" -eq 0 ]; then echo 'no type errors'; else cat "$logs/$name"; fi
done

# One closing line for the whole run, summed from the counts each vitest run left in its totals file.
awk '{ p += $1; f += $2; s += $3 } END { printf "\ntests: %d passed, %d failed, %d skipped\n", p, f, s }' \
  "$logs"/totals-*
for status in "${statuses[@]}"; do [ "$status" -eq 0 ] || exit 1; done
