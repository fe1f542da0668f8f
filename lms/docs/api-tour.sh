#!/usr/bin/env bash
# The LMS's API tour: a visitor reads the catalogue; a student enrols, learns, takes a quiz
# and hands in a file; a teaching assistant grades it; anyone checks a certificate. The
# refusals are part of the tour, because they are the contract too: a 400 naming the field
# (an upload that is not what its name says), a 401 without a token, a 403 for the wrong
# role, a 404 for a draft you may not see, a 409 when the state refuses (already enrolled,
# a graded submission).
#
#   make run P=lms                   # in one terminal (serves http://127.0.0.1:8002)
#   cd lms && bash docs/api-tour.sh  # in another; BASE=http://host:port to aim elsewhere
#
# Every id comes from an earlier answer, never typed in. The script stops with exit code 1
# at the first call whose status is not the one expected. It needs bash, curl and python3
# (for reading the JSON answers; no jq). The demo stays usable: run it as often as you like
# (the student drops and re-takes one course; the quiz attempt stays open, never submitted).
set -euo pipefail

BASE=${BASE:-http://127.0.0.1:8002}
API=$BASE/api/v1
PASSWORD=${DEMO_PASSWORD:-demo-pass-2024}   # settings.DEMO_PASSWORD
TOKEN='' QUIET=''                          # set per call, in front of it: TOKEN=... call ...
BODY_FILE=$(mktemp)
UPLOADS=$(mktemp -d)
trap 'rm -rf "$BODY_FILE" "$UPLOADS"' EXIT

# call EXPECTED_STATUS METHOD PATH [JSON_BODY | @FILE_TO_UPLOAD]
# Sends the request (with "Authorization: Bearer $TOKEN" when TOKEN is set), prints it and
# the status it got, keeps the answer in $BODY, and exits with 1 when the status is not
# EXPECTED_STATUS. A body starting with @ is sent as a multipart upload in the field "file"
# (what an HTML <input type="file"> sends, and what multer reads in Express).
call() {
  local expected=$1 method=$2 path=$3 data=${4:-}
  local url=$API$path
  local args=(-s -o "$BODY_FILE" -w '%{http_code}' -X "$method")
  [[ -n ${TOKEN:-} ]] && args+=(-H "Authorization: Bearer $TOKEN")
  if [[ $data == @* ]]; then
    args+=(-F "file=$data")
  elif [[ -n $data ]]; then
    args+=(-H 'Content-Type: application/json' -d "$data")
  fi
  local status
  status=$(curl "${args[@]}" "$url")
  BODY=$(cat "$BODY_FILE")
  echo "$method ${url#"$BASE"} ${data:+${data#"$UPLOADS/"} }-> $status"
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

echo "== 1. The catalogue is public: no token"
call 200 GET "/courses/?search=python&ordering=title"
call 200 GET /courses/web-apps-with-django/                  # with its syllabus
LESSON=$(json 'd["modules"][0]["lessons"][0]["id"]')
call 404 GET /courses/machine-learning-draft/                # a draft: 404, not 403

echo "== 2. Log in: one token per role"
call 401 POST /auth/token/ '{"email": "student@lms.example", "password": "wrong"}'
login STUDENT_TOKEN student@lms.example
login TA_TOKEN ta@lms.example                  # assists Python for beginners only
login FINISHER_TOKEN finisher@lms.example      # completed Python: has a certificate

echo "== 3. Enrolment: a seat, the waitlist, and the refusals (409, with a code)"
call 401 GET /enrollments/                                   # no token
TOKEN=$STUDENT_TOKEN call 200 GET /enrollments/
DJANGO_ENROLLMENT=$(json 'next(e["id"] for e in d["results"] if e["course"] == "web-apps-with-django")')
TOKEN=$STUDENT_TOKEN call 200 POST "/enrollments/$DJANGO_ENROLLMENT/drop/"
TOKEN=$STUDENT_TOKEN call 409 POST "/enrollments/$DJANGO_ENROLLMENT/drop/"   # already left
TOKEN=$STUDENT_TOKEN call 201 POST /enrollments/ '{"course": "web-apps-with-django"}'
TOKEN=$STUDENT_TOKEN call 409 POST /enrollments/ '{"course": "web-apps-with-django"}'
TOKEN=$STUDENT_TOKEN call 409 POST /enrollments/ '{"course": "data-masterclass"}'  # on its waitlist
TOKEN=$STUDENT_TOKEN call 404 POST /enrollments/ '{"course": "machine-learning-draft"}'

echo "== 4. Progress: marking a lesson complete is idempotent"
TOKEN=$STUDENT_TOKEN call 200 POST "/lessons/$LESSON/complete/"
TOKEN=$STUDENT_TOKEN call 200 POST "/lessons/$LESSON/complete/"
TOKEN=$STUDENT_TOKEN call 200 GET "/enrollments/$DJANGO_ENROLLMENT/progress/"

echo "== 5. A quiz: start (or resume) an attempt, answer before the server's deadline"
TOKEN=$STUDENT_TOKEN call 200 GET "/quizzes/?course__slug=web-apps-with-django"
QUIZ=$(json 'd["results"][0]["id"]')
LIMIT=$(json 'd["results"][0]["attempt_limit"]')
TOKEN=$STUDENT_TOKEN QUIET=1 call 200 GET /attempts/
# 201 while an attempt is open or one is left; 409 (attempt_limit) once all are used.
START=$(json "201 if (any(a['quiz'] == $QUIZ and a['status'] == 'in_progress' for a in d['results'])
  or sum(a['quiz'] == $QUIZ for a in d['results']) < $LIMIT) else 409")
TOKEN=$STUDENT_TOKEN call "$START" POST "/quizzes/$QUIZ/attempts/"
if [[ $START == 201 ]]; then
  ATTEMPT=$(json 'd["id"]')
  QUESTION=$(json 'd["questions"][0]["id"]')
  CHOICE=$(json 'd["questions"][0]["choices"][0]["id"]')
  TOKEN=$STUDENT_TOKEN call 200 POST "/attempts/$ATTEMPT/answer/" \
    "{\"question\": $QUESTION, \"choices\": [$CHOICE]}"
  TOKEN=$FINISHER_TOKEN call 404 POST "/attempts/$ATTEMPT/answer/" \
    "{\"question\": $QUESTION, \"choices\": [$CHOICE]}"            # not their attempt
  # POST /attempts/$ATTEMPT/submit/ would grade it; the tour leaves it open (see the top).
fi

echo "== 6. Uploads: checked by size, extension and content, through the service"
TOKEN=$STUDENT_TOKEN call 200 GET "/assignments/?course__slug=web-apps-with-django"
ASSIGNMENT=$(json 'next(a["id"] for a in d["results"] if a["title"].startswith("Project"))')
printf 'not a PDF at all\n' > "$UPLOADS/essay.pdf"
printf 'print("hello, Django")\n' > "$UPLOADS/essay.txt"
TOKEN=$STUDENT_TOKEN call 400 POST "/assignments/$ASSIGNMENT/submission/" "@$UPLOADS/essay.pdf"
TOKEN=$STUDENT_TOKEN call 201 POST "/assignments/$ASSIGNMENT/submission/" "@$UPLOADS/essay.txt"

echo "== 7. Grading is for the course's staff: object permissions"
TOKEN=$TA_TOKEN call 200 GET "/submissions/?assignment=$ASSIGNMENT"   # not their course
[[ $(json 'd["count"]') == 0 ]] || { echo "FAILED: the TA sees another course's work" >&2; exit 1; }
TOKEN=$TA_TOKEN call 200 GET /assignments/?course__slug=python-for-beginners
PROJECT=$(json 'next(a["id"] for a in d["results"] if a["title"].startswith("Project"))')
TOKEN=$TA_TOKEN call 200 GET "/submissions/?assignment=$PROJECT"
SUBMISSION=$(json 'next(s["id"] for s in d["results"] if s["student"] == "student@lms.example")')
TOKEN=$STUDENT_TOKEN call 403 POST "/submissions/$SUBMISSION/grade/" '{"points": 100}'
TOKEN=$TA_TOKEN call 400 POST "/submissions/$SUBMISSION/grade/" '{"points": -1}'
TOKEN=$TA_TOKEN call 200 POST "/submissions/$SUBMISSION/grade/" '{"points": 85, "feedback": "Clear and tested."}'
TOKEN=$STUDENT_TOKEN call 409 POST "/assignments/$PROJECT/submission/" "@$UPLOADS/essay.txt"  # graded
TOKEN=$STUDENT_TOKEN call 404 GET /courses/python-for-beginners/grades/   # not staff here
TOKEN=$TA_TOKEN call 200 GET /courses/python-for-beginners/grades/

echo "== 8. Certificates: the student's own, and a public check by code"
TOKEN=$FINISHER_TOKEN call 200 GET /certificates/
CODE=$(json 'd["results"][0]["code"]')
call 200 GET "/certificates/verify/$CODE/"                   # anyone, no token
call 404 GET /certificates/verify/0000000000000000/

echo "== Done: every call answered the status it should."
