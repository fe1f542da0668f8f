#!/usr/bin/env bash
# The hospital's API tour: the desk registers a patient and books her with a doctor; the
# doctor opens her chart and records a temperature, then corrects it; the desk bills the
# visit. Each role logs in with its own demo login and uses its own token: a clinical call
# made with the receptionist's token answers 404, and the tour shows that too. The
# refusals are part of the contract: a 400 naming the field, a 404 for a patient you may
# not see, a 405 for editing a clinical record, a 409 for a slot taken or a status that
# has moved on.
#
#   make run P=hospital                  # in one terminal (serves http://127.0.0.1:8001)
#   cd hospital && bash docs/api-tour.sh # in another; BASE=http://host:port to aim elsewhere
#
# Every id comes from an earlier answer, never typed in. The script stops with exit code 1
# at the first call whose status is not the one expected. It needs bash, curl and python3
# (for reading the JSON answers; no jq). Each run registers one new patient and leaves her
# booking cancelled, so the demo's own appointments stay as they were.
set -euo pipefail

BASE=${BASE:-http://127.0.0.1:8001}
API=$BASE/api/v1
PASSWORD=${DEMO_PASSWORD:-demo-pass-2024}   # settings.DEMO_PASSWORD
TOKEN='' QUIET=''                          # set per call, in front of it: TOKEN=... call ...
BODY_FILE=$(mktemp)
trap 'rm -f "$BODY_FILE"' EXIT

# call EXPECTED_STATUS METHOD PATH [JSON_BODY]
# Sends the request (with "Authorization: Bearer $TOKEN" when TOKEN is set), prints it and
# the status it got, keeps the answer in $BODY, and exits with 1 when the status is not
# EXPECTED_STATUS. PATH is under $API.
call() {
  local expected=$1 method=$2 path=$3 data=${4:-}
  local args=(-s -o "$BODY_FILE" -w '%{http_code}' -X "$method")
  [[ -n ${TOKEN:-} ]] && args+=(-H "Authorization: Bearer $TOKEN")
  [[ -n $data ]] && args+=(-H 'Content-Type: application/json' -d "$data")
  local status
  status=$(curl "${args[@]}" "$API$path")
  BODY=$(cat "$BODY_FILE")
  echo "$method /api/v1$path ${data:+$data }-> $status"
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

echo "== 1. Log in: one token per role"
call 401 GET /patients/                                              # no token
login RECEPTION_TOKEN reception@hospital.example
login DOCTOR_TOKEN dr.grey@hospital.example
login OTHER_DOCTOR_TOKEN dr.house@hospital.example
login PATIENT_TOKEN patient@hospital.example

echo "== 2. The desk registers a patient"
TOKEN=$RECEPTION_TOKEN call 400 POST /patients/ '{"first_name": "Ivy", "date_of_birth": "1975-13-01", "sex": "female"}'
TOKEN=$RECEPTION_TOKEN call 201 POST /patients/ \
  '{"first_name": "Ivy", "last_name": "Moss", "date_of_birth": "1975-06-01", "sex": "female"}'
PATIENT=$(json 'd["id"]')
TOKEN=$RECEPTION_TOKEN call 200 GET "/patients/?search=$(json 'd["medical_record_number"]')"
TOKEN=$RECEPTION_TOKEN call 200 GET "/patients/?search=smith"
SMITH=$(json 'd["results"][0]["id"]')                                # a patient of the seed

echo "== 3. Free slots, then book one; the same slot twice is refused"
TOKEN=$RECEPTION_TOKEN call 200 GET "/doctors/?search=grey"
DOCTOR=$(json 'd["results"][0]["id"]')
# The first day from tomorrow on with a free slot (the doctor works on some weekdays only).
for offset in $(seq 1 14); do
  DAY=$(python3 -c 'import datetime, sys; print(datetime.date.today() + datetime.timedelta(days=int(sys.argv[1])))' "$offset")
  TOKEN=$RECEPTION_TOKEN QUIET=1 call 200 GET "/doctors/$DOCTOR/slots/?day=$DAY"
  [[ $(json 'len(d)') != 0 ]] && break
done
echo "   $(json 'len(d)') free slots on $DAY; the first starts at $(json 'd[0]["start"]')"
START=$(json 'd[0]["start"]')
NOT_A_SLOT=$(json 'd[0]["start"].replace(":00Z", ":07Z")')           # seven seconds later
TOKEN=$RECEPTION_TOKEN call 400 POST /appointments/ \
  "{\"patient\": $PATIENT, \"doctor\": $DOCTOR, \"start\": \"$NOT_A_SLOT\"}"
TOKEN=$RECEPTION_TOKEN call 201 POST /appointments/ \
  "{\"patient\": $PATIENT, \"doctor\": $DOCTOR, \"start\": \"$START\", \"reason\": \"Chest pain\"}"
APPOINTMENT=$(json 'd["id"]')
TOKEN=$RECEPTION_TOKEN call 409 POST /appointments/ \
  "{\"patient\": $SMITH, \"doctor\": $DOCTOR, \"start\": \"$START\"}"  # taken a moment ago
TOKEN=$RECEPTION_TOKEN call 200 GET "/appointments/?day=$DAY&doctor=$DOCTOR"

echo "== 4. Who may see her: her doctor does; another doctor and another patient get 404"
TOKEN=$DOCTOR_TOKEN call 200 GET "/patients/$PATIENT/"
TOKEN=$OTHER_DOCTOR_TOKEN call 404 GET "/patients/$PATIENT/"
TOKEN=$PATIENT_TOKEN call 404 GET "/patients/$PATIENT/"
TOKEN=$PATIENT_TOKEN call 200 GET /appointments/                     # the portal: her own only

echo "== 5. The chart: the doctor's token, never the desk's"
TOKEN=$RECEPTION_TOKEN call 404 GET "/encounters/?patient=$PATIENT"   # the desk reads no chart
TOKEN=$DOCTOR_TOKEN call 200 GET "/encounters/?patient=$PATIENT"
TOKEN=$DOCTOR_TOKEN call 201 POST /encounters/ "{\"patient\": $PATIENT, \"reason\": \"Walk-in: chest pain\"}"
ENCOUNTER=$(json 'd["id"]')
TOKEN=$DOCTOR_TOKEN call 400 POST /observations/ "{\"encounter\": $ENCOUNTER, \"kind\": \"temperature\"}"
TOKEN=$DOCTOR_TOKEN call 201 POST /observations/ \
  "{\"encounter\": $ENCOUNTER, \"kind\": \"temperature\", \"value\": \"39.9\"}"
OBSERVATION=$(json 'd["id"]')
# A clinical record is never edited: a correction is a new entry that supersedes it.
TOKEN=$DOCTOR_TOKEN call 405 PATCH "/observations/$OBSERVATION/" '{"value": "37.9"}'
TOKEN=$DOCTOR_TOKEN call 201 POST /observations/ \
  "{\"supersedes\": $OBSERVATION, \"value\": \"37.9\", \"correction_reason\": \"Read the wrong thermometer\"}"
TOKEN=$DOCTOR_TOKEN call 409 POST /observations/ \
  "{\"supersedes\": $OBSERVATION, \"value\": \"38.0\", \"correction_reason\": \"Twice\"}"  # corrected once only
TOKEN=$DOCTOR_TOKEN call 200 POST "/encounters/$ENCOUNTER/close/" '{"summary": "Viral; rest and fluids"}'

echo "== 6. The desk bills the visit; a payment above the balance is refused"
TOKEN=$RECEPTION_TOKEN call 201 POST /invoices/ \
  "{\"encounter\": $ENCOUNTER, \"lines\": [{\"description\": \"Consultation\", \"unit_price\": \"85.00\"}]}"
INVOICE=$(json 'd["id"]')
TOKEN=$RECEPTION_TOKEN call 201 POST "/invoices/$INVOICE/lines/" \
  '{"description": "Dressing", "quantity": 2, "unit_price": "2.50"}'
TOKEN=$RECEPTION_TOKEN call 200 POST "/invoices/$INVOICE/issue/"
TOKEN=$RECEPTION_TOKEN call 409 POST "/invoices/$INVOICE/payments/" '{"amount": "100.00", "method": "card"}'
TOKEN=$RECEPTION_TOKEN call 201 POST "/invoices/$INVOICE/payments/" '{"amount": "90.00", "method": "card"}'

echo "== 7. Status changes: each allowed once"
TOKEN=$RECEPTION_TOKEN call 200 POST "/appointments/$APPOINTMENT/cancel/" '{"reason": "Seen as a walk-in"}'
TOKEN=$RECEPTION_TOKEN call 409 POST "/appointments/$APPOINTMENT/cancel/" '{"reason": "Again"}'

echo "== The tour is done: every call answered the status it should."
