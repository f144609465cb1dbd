#!/usr/bin/env bash
# The unit and integration suite (not the browser tests) under libfaketime at five awkward moments, to prove
# that no test depends on today's date (issue 11 item 9). Usage:
#   scripts/test_clocks.sh                 all five moments, one after the other
#   scripts/test_clocks.sh month-end feb28 only these (names below); extra pytest arguments via PYTEST_ARGS
# The clock is moved with an offset ("+N seconds from now"), not an absolute "@date": with "@" the child
# processes (xdist workers, the Celery worker of the integration tests) come out 8 h off under Asia/Shanghai.
# PostgreSQL and Redis keep the real time: nothing compares the database's now() with Python's clock.
set -u
cd "$(dirname "$0")/.."
command -v faketime >/dev/null 2>&1 || { echo "faketime is missing: make system-deps" >&2; exit 1; }

declare -A MOMENTS=(
  [month-end]="2027-01-31 22:30"      # the last evening of a month
  [feb28]="2027-02-28 23:30"          # 28 February, half an hour before March
  [tuesday]="2027-06-01 20:00"        # a Tuesday evening (the first of the month: monthly meetings)
  [new-year-eve]="2027-12-31 23:30"   # 31 December, half an hour before the year turns
  [spring-festival-eve]="2027-02-05 20:00"  # 除夕 (the Spring Festival falls on 2027-02-06)
)
ORDER=(month-end feb28 tuesday new-year-eve spring-festival-eve)
[ $# -gt 0 ] && ORDER=("$@")

# Only the wall clock is faked; the monotonic clock stays real, and faketime/sitecustomize.py gives Python a
# time.sleep that works under libfaketime (see there why).
export TZ=Asia/Shanghai FAKETIME_DONT_FAKE_MONOTONIC=1 PYTHONPATH="$PWD/scripts/faketime${PYTHONPATH:+:$PYTHONPATH}"
PY=.venv/bin/python
failed=()
for name in "${ORDER[@]}"; do
  moment=${MOMENTS[$name]:-}
  [ -n "$moment" ] || { echo "unknown moment $name (known: ${!MOMENTS[*]})" >&2; exit 2; }
  offset=$(( $(date -d "$moment" +%s) - $(date +%s) ))
  seen=$(faketime -f "+${offset}s" "$PY" -c \
    'import datetime, threading, time; time.sleep(0.01); threading.Event().wait(0.01)
print(datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), time.strftime("%Y-%m-%d %H:%M"))')
  echo "=== $name: $moment Asia/Shanghai (offset ${offset}s); Python sees: $seen"
  [ "$seen" = "$moment $moment" ] || { echo "the fake clock is not what Python sees" >&2; exit 1; }
  # shellcheck disable=SC2086 # PYTEST_ARGS is a list of words
  faketime -f "+${offset}s" "$PY" -m pytest -p no:cacheprovider --ignore=tests/e2e -m "not e2e" -q ${PYTEST_ARGS:-} \
    || failed+=("$name")
done
[ ${#failed[@]} -eq 0 ] && { echo "all moments passed: ${ORDER[*]}"; exit 0; }
echo "failed at: ${failed[*]}" >&2
exit 1
