#!/usr/bin/env bash
# Movie Magic lobby kiosk: run Chromium full screen (--kiosk) on a Linux kiosk device, forever.
#
#   deploy/kiosk-launcher.sh https://tickets.example.com/kiosk
#
# First time: open the pairing link from Staff > Kiosks on this device instead of /kiosk
# (deploy/kiosk-launcher.sh https://tickets.example.com/kiosk/pair/ABCD-EFGH), tap "Pair this screen",
# then "Start the kiosk". The pairing lives in this browser profile (a signed session cookie), so the
# profile must persist: never run the kiosk in --incognito or --guest mode.
#
# What it does: turns screen blanking off, then starts Chromium with no browser UI, no error or
# translate bubbles, no swipe-to-go-back, and silent printing (--kiosk-printing: the ticket goes to the
# default printer, ideally an 80 mm receipt printer, without a print dialog). If Chromium exits or
# crashes it starts again after two seconds; the kiosk page itself releases an unfinished customer's
# seats and shows the attract screen, never the previous customer.
#
# Settings (environment): MOVIEMAGIC_KIOSK_PROFILE (browser profile folder, default
# ~/.config/moviemagic-kiosk), MOVIEMAGIC_CHROMIUM (the browser, default chromium or chromium-browser).
# Start it from the kiosk user's desktop autostart, or a systemd --user unit; see docs/KIOSK.md.
set -euo pipefail

url="${1:-${MOVIEMAGIC_KIOSK_URL:-}}"
if [[ -z "$url" || "$url" != http*://*/kiosk* ]]; then
  echo "usage: $0 https://your-server/kiosk   (or a /kiosk/pair/CODE link the first time)" >&2
  exit 2
fi
profile="${MOVIEMAGIC_KIOSK_PROFILE:-$HOME/.config/moviemagic-kiosk}"
browser="${MOVIEMAGIC_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [[ -z "$browser" ]]; then
  echo "Chromium is not installed: sudo apt-get install chromium" >&2
  exit 1
fi
mkdir -p "$profile"

# A lobby screen never sleeps (X11; Wayland compositors have their own idle settings).
if command -v xset >/dev/null 2>&1 && [[ -n "${DISPLAY:-}" ]]; then
  xset s off -dpms s noblank || true
fi

# Chromium remembers a crash and would offer to "restore pages": tell it the last exit was clean.
prefs="$profile/Default/Preferences"
if [[ -f "$prefs" ]]; then
  sed -i 's/"exited_cleanly":false/"exited_cleanly":true/; s/"exit_type":"Crashed"/"exit_type":"Normal"/' "$prefs"
fi

while true; do
  "$browser" \
    --kiosk \
    --user-data-dir="$profile" \
    --no-first-run \
    --noerrdialogs \
    --disable-infobars \
    --disable-session-crashed-bubble \
    --disable-translate \
    --disable-features=Translate,TouchpadOverscrollHistoryNavigation \
    --overscroll-history-navigation=0 \
    --disable-pinch \
    --kiosk-printing \
    --check-for-update-interval=31536000 \
    "$url" || true
  url="${url%%/kiosk*}/kiosk"  # after pairing, always come back to the kiosk itself
  sleep 2
done
