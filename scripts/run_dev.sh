#!/usr/bin/env bash
# Web server, Celery worker and Celery beat (embedded, so exactly one) together; Ctrl-C stops all.
set -eu
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8000}
mkdir -p var/celery/queue var/celery/control var/celery/processed
$BIN/celery -A luodian worker -B --loglevel=INFO --concurrency=2 \
  --schedule=var/celerybeat-schedule >var/celery.log 2>&1 &
CELERY_PID=$!
trap 'kill $CELERY_PID 2>/dev/null; wait $CELERY_PID 2>/dev/null' EXIT INT TERM
cat <<TXT

  罗店社区治理 is running: http://127.0.0.1:$PORT/
  Celery worker + beat: pid $CELERY_PID, log in var/celery.log

  Demo logins (password: luodian2026) — demo data only:
    resident  居民 (蓉庭)          tenant    租客 (蓉庭)
    landlord  二房东 (蓉庭)        staff     居委工作人员 (蓉庭)
    secretary 党支部书记 (蓉庭)    station   服务站工作人员 (光明村)
    talent    达人主理人 (郡园)    town      镇工作人员 (全镇)
    villager  村民 (光明村)        staff_guangming 村委工作人员 (光明村)
    outsider  其他社区居民 (美兰花园)

TXT
$BIN/python manage.py runserver "127.0.0.1:$PORT"
