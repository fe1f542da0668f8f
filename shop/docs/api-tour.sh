#!/usr/bin/env bash
# The shop's API tour: a customer finds a product, fills a cart, checks out and pays;
# staff fulfil the order. The refusals are part of the tour, because they are the contract
# too: a 400 naming the field, a 401 without a token, a 403 for the wrong role, a 404 for
# someone else's order, a 409 for a transition the status no longer allows.
#
#   make run P=shop                 # in one terminal (serves http://127.0.0.1:8003)
#   cd shop && bash docs/api-tour.sh   # in another; BASE=http://host:port to aim elsewhere
#
# Every id comes from an earlier answer, never typed in. The script stops with exit code 1
# at the first call whose status is not the one expected. It needs bash, curl and python3
# (for reading the JSON answers; no jq). It leaves one paid and fulfilled order behind,
# and the demo stays usable: run it as often as you like.
set -euo pipefail

BASE=${BASE:-http://127.0.0.1:8003}
API=$BASE/api/v1
PASSWORD=${DEMO_PASSWORD:-demo-pass-2024}   # settings.DEMO_PASSWORD
TOKEN='' HEADER='' QUIET=''                # set per call, in front of it: TOKEN=... call ...
BODY_FILE=$(mktemp)
COOKIES=$(mktemp)
trap 'rm -f "$BODY_FILE" "$COOKIES"' EXIT

# call EXPECTED_STATUS METHOD PATH [JSON_BODY]
# Sends the request (with "Authorization: Bearer $TOKEN" when TOKEN is set, and $HEADER
# when set), prints it and the status it got, keeps the answer in $BODY, and exits with 1
# when the status is not EXPECTED_STATUS. A path without "http" is under $API.
call() {
  local expected=$1 method=$2 path=$3 data=${4:-}
  local url=$path
  [[ $url == http* ]] || url=$API$path
  local args=(-s -o "$BODY_FILE" -w '%{http_code}' -X "$method")
  [[ -n ${TOKEN:-} ]] && args+=(-H "Authorization: Bearer $TOKEN")
  [[ -n ${HEADER:-} ]] && args+=(-H "$HEADER")
  [[ -n $data ]] && args+=(-H 'Content-Type: application/json' -d "$data")
  local status
  status=$(curl "${args[@]}" "$url")
  BODY=$(cat "$BODY_FILE")
  echo "$method ${url#"$BASE"} ${data:+$data }-> $status"
  [[ -n ${QUIET:-} ]] || echo "   ${BODY:0:300}"
  if [[ $status != "$expected" ]]; then
    echo "FAILED: expected $expected, got $status" >&2
    exit 1
  fi
}

# json PYTHON_EXPRESSION: evaluates the expression on the last answer, parsed as `d`.
json() {
  python3 -c 'import json, sys; d = json.loads(sys.argv[2]); print(eval(sys.argv[1]))' "$1" "$BODY"
}

# login VARIABLE EMAIL: logs in and keeps the access token in VARIABLE
# (POST /auth/token/ answers {"refresh": ..., "access": ...}; the access token lasts minutes).
login() {
  TOKEN='' QUIET=1 call 200 POST /auth/token/ "{\"email\": \"$2\", \"password\": \"$PASSWORD\"}"
  printf -v "$1" '%s' "$(json 'd["access"]')"
  echo "   $1 holds the access token of $2"
}

echo "== 1. The catalog is public: no token"
call 200 GET "/products/?search=linen&ordering=-min_price&page_size=5"
call 200 GET /categories/
# A variant with at least three units on the shelf (the seed's stock levels are random).
call 200 GET "/products/?page_size=100"
read -r SLUG VARIANT AVAILABLE < <(json '" ".join(next(
    ((p["slug"], str(v["id"]), str(v["available"]))
     for p in d["results"] for v in p["variants"] if 3 <= v["available"] < 20), ()))') || true
[[ -n ${AVAILABLE:-} ]] || { echo "FAILED: no variant has 3 to 19 units left; raise a quantity in /admin/catalog/stock/" >&2; exit 1; }
call 200 GET "/products/$SLUG/"
call 404 GET /products/no-such-product/

echo "== 2. Log in: one token per role"
call 401 POST /auth/token/ '{"email": "customer@shop.example", "password": "wrong"}'
login CUSTOMER_TOKEN customer@shop.example
login STAFF_TOKEN staff@shop.example

echo "== 3. The cart is the customer's own"
call 401 GET /cart/                                   # no token
TOKEN=$CUSTOMER_TOKEN call 200 GET /cart/
for line in $(json '" ".join(str(i["id"]) for i in d["items"])'); do   # left by an earlier run
  TOKEN=$CUSTOMER_TOKEN call 204 DELETE "/cart/items/$line/"
done
# Refusals: the serializer's (a field's type or range), then the service's (the stock).
TOKEN=$CUSTOMER_TOKEN call 400 POST /cart/items/ "{\"variant\": $VARIANT, \"quantity\": 0}"
TOKEN=$CUSTOMER_TOKEN call 400 POST /cart/items/ "{\"variant\": $VARIANT, \"quantity\": $((AVAILABLE + 1))}"
TOKEN=$CUSTOMER_TOKEN call 201 POST /cart/items/ "{\"variant\": $VARIANT, \"quantity\": 1}"
LINE=$(json 'd["items"][0]["id"]')
TOKEN=$CUSTOMER_TOKEN call 200 PATCH "/cart/items/$LINE/" '{"quantity": 2}'

echo "== 4. Checkout: an Idempotency-Key per attempt; the same key again is the same order"
ADDRESS='{"name": "Ada Lovelace", "line1": "12 Analytical Row", "postcode": "75001", "city": "Paris", "country": "FR"}'
TOKEN=$CUSTOMER_TOKEN call 400 POST /checkout/ "$ADDRESS"                     # no key
KEY=$(python3 -c 'import uuid; print(uuid.uuid4())')
TOKEN=$CUSTOMER_TOKEN HEADER="Idempotency-Key: $KEY" \
  call 400 POST /checkout/ '{"name": "Ada", "line1": "", "postcode": "75001", "city": "Paris", "country": "France"}'
TOKEN=$CUSTOMER_TOKEN HEADER="Idempotency-Key: $KEY" call 201 POST /checkout/ "$ADDRESS"
ORDER=$(json 'd["id"]')
TOKEN=$CUSTOMER_TOKEN HEADER="Idempotency-Key: $KEY" call 201 POST /checkout/ "$ADDRESS"   # a retry
[[ $(json 'd["id"]') == "$ORDER" ]] || { echo "FAILED: the retry made a second order" >&2; exit 1; }

echo "== 5. Orders: your own, and nobody else's"
TOKEN=$CUSTOMER_TOKEN call 200 GET "/orders/$ORDER/"
TOKEN=$CUSTOMER_TOKEN call 200 GET "/orders/?page_size=3"
# Someone else's record answers 404, exactly like one that does not exist: here a line of
# the staff user's own cart, which the customer tries to change.
TOKEN=$STAFF_TOKEN call 201 POST /cart/items/ "{\"variant\": $VARIANT, \"quantity\": 1}"
OTHER_LINE=$(json 'd["items"][0]["id"]')
TOKEN=$CUSTOMER_TOKEN call 404 PATCH "/cart/items/$OTHER_LINE/" '{"quantity": 5}'
TOKEN=$STAFF_TOKEN call 204 DELETE "/cart/items/$OTHER_LINE/"
TOKEN=$CUSTOMER_TOKEN call 403 GET /staff/orders/                               # not staff

echo "== 6. Pay on the sandbox provider's page (an HTML form, so a cookie and a CSRF token)"
TOKEN=$CUSTOMER_TOKEN call 200 GET "/orders/$ORDER/payment/"
PAY_URL=$(json 'd["checkout_url"]')
curl -s -c "$COOKIES" -o "$BODY_FILE" "$PAY_URL"
CSRF=$(python3 -c 'import re, sys; print(re.search(r"name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' "$BODY_FILE")
STATUS=$(curl -s -b "$COOKIES" -o /dev/null -w '%{http_code}' -X POST \
  -d "csrfmiddlewaretoken=$CSRF&outcome=pay" "$PAY_URL")
echo "POST ${PAY_URL#"$BASE"} outcome=pay -> $STATUS   (the provider then posts the signed webhook)"
[[ $STATUS == 302 ]] || { echo "FAILED: expected 302, got $STATUS" >&2; exit 1; }
TOKEN=$CUSTOMER_TOKEN call 200 GET "/orders/$ORDER/"
[[ $(json 'd["status"]') == paid ]] || { echo "FAILED: the order is not paid" >&2; exit 1; }
TOKEN=$CUSTOMER_TOKEN call 409 POST "/orders/$ORDER/cancel/"     # paid: staff cancel it now

echo "== 7. Staff fulfil it; the same transition twice is refused"
TOKEN=$STAFF_TOKEN call 200 GET "/staff/orders/?status=paid&search=customer@shop.example"
TOKEN=$STAFF_TOKEN call 200 POST "/staff/orders/$ORDER/fulfil/" '{"note": "DHL 00340434"}'
TOKEN=$STAFF_TOKEN call 409 POST "/staff/orders/$ORDER/fulfil/" '{"note": "again"}'

echo "== The tour is done: every call answered the status it should."
