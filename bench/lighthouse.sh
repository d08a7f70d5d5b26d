#!/usr/bin/env bash
# Lighthouse on the reader pages, mobile and desktop, against the site in production
# mode (gunicorn, DEBUG off, static files collected) with the seed content and 200 demo
# stories with pictures on a scratch SQLite database: the front page, a section and a
# story with pictures, a live story with its updates, the trip's event page, and "Đọc
# nhiều" filled. Needs Node's npm (installs lighthouse) and Chromium.
# Prints one line per page and form factor, and every audit that cost points.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v lighthouse >/dev/null || npm install -g lighthouse >/dev/null
scratch=$(mktemp -d)
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 WEB_CONCURRENCY=2 PORT=8765
export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export DATABASE_URL="sqlite:///$scratch/db.sqlite3" STATIC_ROOT="$scratch/static" MEDIA_ROOT="$scratch/media"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py loaddata seed -v0
.venv/bin/python manage.py seed_demo --stories 200 -v0
# A live story with updates (one with a picture), reads for "Đọc nhiều"; its pages' addresses.
demo_pages=$(.venv/bin/python manage.py shell -v0 -c '
import datetime
from django.contrib.auth.models import User
from django.utils import timezone
from articles.desk import workflow
from articles.models import Article, LiveUpdate, Picture, ReadCount
from articles.site import reads
editor = User.objects.create_superuser("lighthouse", password=None)
stories = list(Article.objects.published().filter(language="vi").exclude(image="")[:12])
live = stories[0]
live.live_from = timezone.now() - datetime.timedelta(hours=2)
live.save()
for n, text in enumerate(("Đoàn tới nơi.", "Hai bên gặp nhau và ký thoả thuận.", "Họp báo chung.")):
    update = LiveUpdate(article=live, body=text, key_moment=n == 1)
    update.picture = Picture.objects.first() if n == 1 else None
    workflow.post_update(update, editor)
for n, story in enumerate(stories):
    ReadCount.objects.create(article=story, hour=timezone.now(), reads=12 - n)
reads.rank()
print(live.get_absolute_url(), stories[1].get_absolute_url(), stories[1].section.get_absolute_url())
')
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn -c gunicorn.conf.py >"$scratch/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server; rm -rf "$scratch"' EXIT
sleep 3
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
for page in / /tin/viet-nam-va-hoa-ky-thuc-day-hop-tac-chien-luoc-trong-cac-linh-vuc-trong-diem/ \
    /su-kien/chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky/ /cam-ket/ \
    /chuyen-muc/kinh-te/ /tac-gia/minh-thu/ /quoc-gia/hoa-ky/ "/tim-kiem/?q=hoa+ky" /en/ \
    $demo_pages; do
  # ONLY="regex": just the pages it matches (a quick look at one page).
  [ -n "${ONLY:-}" ] && ! grep -qE "$ONLY" <<<"$page" && continue
  for preset in mobile desktop; do
    flags=(--quiet --output=json --output-path="$scratch/report.json"
           --chrome-flags="--headless=new --no-sandbox")
    [ "$preset" = desktop ] && flags+=(--preset=desktop)
    # As a reader finds it: made once already (kept by the edge and the page cache).
    curl -s -o /dev/null "http://127.0.0.1:$PORT$page"
    for attempt in 1 2 3; do  # Chromium's trace sometimes misses the navigation: again
      lighthouse "http://127.0.0.1:$PORT$page" "${flags[@]}" >/dev/null 2>&1 || true
      grep -q '"runtimeError"' "$scratch/report.json" || break
    done
    python3 - "$scratch/report.json" "$page" "$preset" <<'PY'
import json, sys
report, page, preset = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
if report.get("runtimeError"):
    print(page, preset, "Lighthouse failed:", report["runtimeError"]["code"], "(run again)")
    sys.exit()
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
print(page, preset, " ".join(f"{k}={v}" for k, v in scores.items()))
for key, category in report["categories"].items():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
            print("   ", key, ref["id"], audit.get("displayValue", ""))
            for item in (audit.get("details") or {}).get("items", [])[:3]:  # where
                node = item.get("node") or {}
                if node.get("selector"):
                    print("       ", node["selector"], node.get("explanation", "")[:300])
PY
  done
done
