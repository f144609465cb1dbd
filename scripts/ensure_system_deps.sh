#!/usr/bin/env bash
# Debian packages for the browser tests, translations and fake clocks: Chromium, a CJK font, gettext, faketime.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-microhei)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v faketime >/dev/null 2>&1 || need+=(faketime)  # make test-clocks
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Cannot install ${need[*]}: run as root on Debian, or install them yourself." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
