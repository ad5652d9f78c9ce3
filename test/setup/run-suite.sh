#!/usr/bin/env bash
# Every test, the type check and lint, as `npm test` runs them. Much of the suite waits rather than computes
# (pcscd's 400 ms presence poll, Chromium, sockets, child processes), so these jobs share the two cores side
# by side:
#   - the unit, integration and e2e projects, each as its files one after another in one process that keeps
#     its modules from file to file: loading the host's module graph once per project instead of once per
#     file takes a third off the suite's CPU time (a file stops what it starts, so the next file finds
#     nothing of it running);
#   - the fault-injection files, `*-faults.test.ts`, apart from the other integration files: they mostly
#     wait on the HQ and till processes they start and kill, and that waiting then overlaps the rest;
#   - the key-timing files, `*.keys.test.ts`, which mostly wait for a page's timers to settle, then the
#     serial files, `*.serial.test.ts`, one at a time (pcscd and vpcd are one per machine);
#   - the type check, and lint.
# The lanes print when they end, in a fixed order, so their lines do not interleave. With arguments it is
# plain `vitest run <args>`.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ $# -gt 0 ]; then exec npx vitest run "$@"; fi

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
start() { # start NAME: one lane in the background, its output in its log
  case $1 in
    # The key-timing files, then the serial ones: both mostly wait, so one process runs them in turn.
    serial) lane serial --project keys --project serial ;;
    typecheck) npx tsc -p tsconfig.json --noEmit ;;
    lint) npx biome check . ;;
    *) lane "$1" --project "$1" "${oneProcess[@]}" ;;
  esac >"$logs/$1" 2>&1 &
  pids+=("$1:$!")
}

# The lanes that drive Chromium serve one renderer build, made once, beside the lanes that need none.
npx tsx -e "import('./electron/launch/renderer-build.ts').then((m) => m.ensureRendererBuilt(console.log))" \
  >"$logs/build" 2>&1 &
build=$!
for name in unit integration faults typecheck lint; do start "$name"; done
if ! wait "$build"; then
  cat "$logs/build"
  kill $(jobs -p) 2>/dev/null
  exit 1
fi
for name in e2e serial; do start "$name"; done
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
