#!/usr/bin/env bash
# Sends hand-made requests to Prism on the probe specs and prints, per case,
# the status and the violations Prism reports (from the body's `validation`
# list, or from the `sl-violations` header when the operation has its own
# error response). The findings are in conformance/README.md.
#
#   bash conformance/probes/run.sh          (after `npm ci --prefix conformance/prism`)
set -uo pipefail
cd "$(dirname "$0")"
PRISM=${PRISM_BIN:-../prism/node_modules/.bin/prism}
[ -x "$PRISM" ] || { echo "Prism is not installed: npm ci --prefix conformance/prism" >&2; exit 2; }

pids=()
declare -A spec_of
start() { # spec port
  local spec=$1 port=$2
  spec_of[$port]=$spec
  "$PRISM" mock "$spec" -h 127.0.0.1 -p "$port" --errors >"/tmp/probe-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "Prism is listening" "/tmp/probe-$port.log" && return; sleep 0.1; done
  echo "Prism did not start on $spec:" >&2; cat "/tmp/probe-$port.log" >&2; exit 2
}
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

# case description, then curl arguments
probe() {
  local name=$1; shift
  local headers body
  headers=$(mktemp); body=$(mktemp)
  if ! curl -s -o "$body" -D "$headers" "$@"; then
    # Prism died on the request: say so with its last words, and start it again.
    local url port
    url=$(printf '%s\n' "$@" | grep -m1 '^http://')
    port=$(echo "$url" | sed -E 's|http://127.0.0.1:([0-9]+).*|\1|')
    local why
    why=$(grep -m1 -E "^[A-Za-z]*Error" "/tmp/probe-$port.log" | tr -d '|')
    echo "| $name | no answer: Prism exited | ${why:-?} | - |"
    start "${spec_of[$port]}" "$port"
    rm -f "$headers" "$body"
    return
  fi
  node -e '
    const fs = require("fs");
    const [name, hfile, bfile] = process.argv.slice(1);
    const head = fs.readFileSync(hfile, "utf8").split("\r\n");
    const status = head[0].split(" ")[1];
    const header = (n) => (head.find((l) => l.toLowerCase().startsWith(n + ":")) || "").slice(n.length + 1).trim();
    let violations = [];
    const raw = header("sl-violations");
    try { if (raw) violations = JSON.parse(raw); } catch (e) {}
    const text = fs.readFileSync(bfile, "utf8");
    try { const j = JSON.parse(text); if (j && j.validation) violations = j.validation; } catch (e) {}
    const said = violations.map((v) => (v.location || []).join(".") + ": " + v.message).join("; ");
    const type = header("content-type");
    console.log(`| ${name} | ${status} | ${said || "-"} | ${type} ${text.slice(0, 60).replace(/\n/g, " ").replace(/\|/g, "\\|")} |`);
  ' "$name" "$headers" "$body"
  rm -f "$headers" "$body"
}

start parameters.yaml 4601
start bodies.yaml 4602
P=http://127.0.0.1:4601
B=http://127.0.0.1:4602
echo "| case | status | violations | response |"
echo "|---|---|---|---|"
probe "query form explode: ids=1&ids=2" "$P/query/form-explode?ids=1&ids=2"
probe "query form explode: ids=1&ids=x (bad item)" "$P/query/form-explode?ids=1&ids=x"
probe "query form explode: ids=1,2 (explode false form)" "$P/query/form-explode?ids=1,2"
probe "query form no-explode: ids=1,2" "$P/query/form-no-explode?ids=1,2"
probe "query form no-explode: ids=1,x (bad item)" "$P/query/form-no-explode?ids=1,x"
probe "query form no-explode: ids=1&ids=2 (explode true form)" "$P/query/form-no-explode?ids=1&ids=2"
probe "query object explode: x=1&y=2" "$P/query/object-explode?x=1&y=2"
probe "query object explode: x=0&y=2 (bad property)" "$P/query/object-explode?x=0&y=2"
probe "query object explode: point=x,1,y,2 (explode false form)" "$P/query/object-explode?point=x,1,y,2"
probe "query object no-explode: point=x,1,y,2" "$P/query/object-no-explode?point=x,1,y,2"
probe "query object no-explode: point=x,0,y,2 (bad property)" "$P/query/object-no-explode?point=x,0,y,2"
probe "query object no-explode: x=1&y=2 (explode true form)" "$P/query/object-no-explode?x=1&y=2"
probe "spaceDelimited: ids=1%202" "$P/query/space-delimited?ids=1%202"
probe "spaceDelimited: ids=1%20x (bad item)" "$P/query/space-delimited?ids=1%20x"
probe "spaceDelimited: ids=1,2 (comma form)" "$P/query/space-delimited?ids=1,2"
probe "spaceDelimited: ids=1&ids=2 (explode form)" "$P/query/space-delimited?ids=1&ids=2"
probe "pipeDelimited: ids=1|2" "$P/query/pipe-delimited?ids=1%7C2"
probe "pipeDelimited: ids=1|x (bad item)" "$P/query/pipe-delimited?ids=1%7Cx"
probe "pipeDelimited: ids=1,2 (comma form)" "$P/query/pipe-delimited?ids=1,2"
probe "deepObject: point[x]=1&point[y]=2" -g "$P/query/deep-object?point[x]=1&point[y]=2"
probe "deepObject: point[x]=0&point[y]=2 (bad property)" -g "$P/query/deep-object?point[x]=0&point[y]=2"
probe "deepObject: point[x]=1 (missing required y)" -g "$P/query/deep-object?point[x]=1"
probe "deepObject: x=1&y=2 (name lost)" "$P/query/deep-object?x=1&y=2"
probe "deepObject: no parameter at all" "$P/query/deep-object"
probe "deepObject: point[z]=1 (unknown property)" -g "$P/query/deep-object?point[x]=1&point[y]=2&point[z]=3"
probe "deepObject optional: not sent" "$P/query/deep-object-optional"
probe "deepObject optional: point[x]=1&point[y]=2" -g "$P/query/deep-object-optional?point[x]=1&point[y]=2"
probe "deepObject anyOf: created[gte]=5" -g "$P/query/deep-object-any-of?created[gte]=5"
probe "deepObject anyOf: created=5" "$P/query/deep-object-any-of?created=5"
probe "deepObject anyOf: created[gte]=x (bad)" -g "$P/query/deep-object-any-of?created[gte]=x"
probe "deepObject anyOf: gte=5 (name lost)" "$P/query/deep-object-any-of?gte=5"
probe "allowReserved: q=a/b?c: raw" "$P/query/allow-reserved?q=a/b?c:"
probe "allowReserved: q=a%2Fb%3Fc%3A encoded" "$P/query/allow-reserved?q=a%2Fb%3Fc%3A"
probe "allowReserved: q=A (bad pattern)" "$P/query/allow-reserved?q=A"
probe "plain query, no allowReserved: q=a/b?c: raw" "$P/query/plain?q=a/b?c:"
probe "plain query: q=a%20b (space as %20)" "$P/query/plain?q=a%20b"
probe "plain query: q=a+b (space as +)" "$P/query/plain?q=a+b"
probe "plain query: q=a%2Bb (a literal +, outside the pattern)" "$P/query/plain?q=a%2Bb"
probe "content JSON query: filter={\"x\":1,\"y\":2}" "$P/query/content?filter=%7B%22x%22%3A1%2C%22y%22%3A2%7D"
probe "content JSON query: filter={\"x\":0,\"y\":2} (bad)" "$P/query/content?filter=%7B%22x%22%3A0%2C%22y%22%3A2%7D"
probe "content JSON query: filter=notjson" "$P/query/content?filter=notjson"
probe "path simple array: /1,2" "$P/path/simple/1,2"
probe "path simple array: /1,x (bad item)" "$P/path/simple/1,x"
probe "path simple object: /x,1,y,2" "$P/path/simple-object/x,1,y,2"
probe "path simple object: /x,0,y,2 (bad)" "$P/path/simple-object/x,0,y,2"
probe "path label: /.1.2" "$P/path/label/.1.2"
probe "path label: /.1.x (bad item)" "$P/path/label/.1.x"
probe "path label: /.1,2 (RFC 6570 form)" "$P/path/label/.1,2"
probe "path label integer: /.5" "$P/path/label-integer/.5"
probe "path label integer: /.0 (below minimum)" "$P/path/label-integer/.0"
probe "path label integer: /5 (no dot)" "$P/path/label-integer/5"
probe "path matrix integer: /;n=5" "$P/path/matrix-integer/;n=5"
probe "path matrix integer: /;n=0 (below minimum)" "$P/path/matrix-integer/;n=0"
probe "path matrix integer: /5 (no ;n=)" "$P/path/matrix-integer/5"
probe "path label: /1,2 (simple form)" "$P/path/label/1,2"
probe "path matrix: /;ids=1,2" "$P/path/matrix/;ids=1,2"
probe "path matrix: /;ids=1,x (bad item)" "$P/path/matrix/;ids=1,x"
probe "path matrix: /1,2 (simple form)" "$P/path/matrix/1,2"
probe "path integer: /0 (below minimum)" "$P/path/integer/0"
probe "path integer: /%31 (percent-encoded 1)" "$P/path/integer/%31"
probe "path oneOf [integer, string]: /5 (an integer)" "$P/path/one-of/5"
probe "path oneOf [integer, string]: /main.yml (a string)" "$P/path/one-of/main.yml"
probe "header simple array: 1,2" -H "X-Ids: 1,2" "$P/header"
probe "header simple array: 1,x (bad item)" -H "X-Ids: 1,x" "$P/header"
probe "header missing" "$P/header"
probe "header object: x,1,y,2" -H "X-Point: x,1,y,2" "$P/header-object"
probe "header object: x=1,y=2 (explode form)" -H "X-Point: x=1,y=2" "$P/header-object"
probe "header object: x,0,y,2 (bad)" -H "X-Point: x,0,y,2" "$P/header-object"
probe "cookie: n=1" -H "Cookie: n=1" "$P/cookie"
probe "cookie: n=0 (below minimum)" -H "Cookie: n=0" "$P/cookie"
probe "cookie missing" "$P/cookie"
probe "cookie array: ids=1,2" -H "Cookie: ids=1,2" "$P/cookie-array"
probe "cookie array: ids=1,x (bad)" -H "Cookie: ids=1,x" "$P/cookie-array"
probe "form deepObject + form no-explode: n=1&point[x]=1&point[y]=2&tags=1,2" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=1&point%5By%5D=2&tags=1,2" "$B/form"
probe "form: optional deepObject object not sent: n=1" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1" "$B/form-optional-deep"
probe "form: optional deepObject object sent: n=1&point[x]=1&point[y]=2" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=1&point%5By%5D=2" "$B/form-optional-deep"
probe "form: a required empty object, no pairs: empty body" -X POST -H "Content-Type: application/x-www-form-urlencoded" --data-raw "" "$B/form-empty-object"
probe "form: a required object with a property: settings[a]=x" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "settings%5Ba%5D=x" "$B/form-empty-object"
probe "form deepObject array of objects: items[0][x]=1&items[0][y]=2" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "items%5B0%5D%5Bx%5D=1&items%5B0%5D%5By%5D=2" "$B/form-object-array"
probe "form deepObject array of objects: items[][x]=1&items[][y]=2" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "items%5B%5D%5Bx%5D=1&items%5B%5D%5By%5D=2" "$B/form-object-array"
probe "form deepObject array of objects as JSON text" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "items=%5B%7B%22x%22%3A1%2C%22y%22%3A2%7D%5D" "$B/form-object-array"
probe "form deepObject, an array inside: reason[options][0]=a" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "reason%5Boptions%5D%5B0%5D=a" "$B/form-nested-array"
probe "form deepObject, an array inside: reason[options][]=a" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "reason%5Boptions%5D%5B%5D=a" "$B/form-nested-array"
probe "form deepObject, an array inside: reason[options]=a" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "reason%5Boptions%5D=a" "$B/form-nested-array"
probe "form deepObject, a union array inside: reason[options][0]=a" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "reason%5Boptions%5D%5B0%5D=a" "$B/form-nested-union"
probe "form deepObject, a union array inside: reason[options]=" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "reason%5Boptions%5D=" "$B/form-nested-union"
probe "form: a required property the schema does not declare, sent: token=t&grant_type=x" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "token=t&grant_type=x" "$B/form-undeclared"
probe "form: point[x]=0 (bad property)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=0&point%5By%5D=2&tags=1,2" "$B/form"
probe "form: tags=1,x (bad item)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=1&point%5By%5D=2&tags=1,x" "$B/form"
probe "form: point as JSON text" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point=%7B%22x%22%3A1%2C%22y%22%3A2%7D&tags=1,2" "$B/form"
probe "form: tags=1%2C2 (comma percent-encoded)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=1&point%5By%5D=2&tags=1%2C2" "$B/form"
probe "form: tags=1%2Cx (bad item, comma encoded)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=1&point%5By%5D=2&tags=1%2Cx" "$B/form"
probe "form: point[x]=0, tags encoded (bad property)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=0&point%5By%5D=2&tags=1%2C2" "$B/form"
probe "form: point[z]=3 extra (additionalProperties false)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=1&point%5By%5D=2&point%5Bz%5D=3&tags=1%2C2" "$B/form"
probe "form: tags=1&tags=2 (explode form)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=1&point%5Bx%5D=1&point%5By%5D=2&tags=1&tags=2" "$B/form"
probe "form: n=0 (bad)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "n=0&point%5Bx%5D=1&point%5By%5D=2&tags=1,2" "$B/form"
probe "form, no encoding: point[x]=1&point[y]=2&tags=1&tags=2" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "point%5Bx%5D=1&point%5By%5D=2&tags=1&tags=2" "$B/form-default"
probe "form, no encoding: point=x,1,y,2&tags=1,2" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "point=x,1,y,2&tags=1,2" "$B/form-default"
probe "form, no encoding: point as JSON text, tags=1&tags=2" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "point=%7B%22x%22%3A1%2C%22y%22%3A2%7D&tags=1&tags=2" "$B/form-default"
probe "form, no encoding: point JSON, tags=1 (one item)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "point=%7B%22x%22%3A1%2C%22y%22%3A2%7D&tags=1" "$B/form-default"
probe "form, no encoding: x=1&y=2&tags=1 (exploded object)" -H "Content-Type: application/x-www-form-urlencoded" --data-raw "x=1&y=2&tags=1" "$B/form-default"
printf 'PNGDATA' > /tmp/probe-file.png
probe "multipart: file (image/png) + point JSON + count" -F "file=@/tmp/probe-file.png;type=image/png" -F 'point={"x":1,"y":2};type=application/json' -F count=1 "$B/multipart"
probe "multipart: count=0 (bad)" -F "file=@/tmp/probe-file.png;type=image/png" -F 'point={"x":1,"y":2};type=application/json' -F count=0 "$B/multipart"
probe "multipart: point x=0 (bad JSON part)" -F "file=@/tmp/probe-file.png;type=image/png" -F 'point={"x":0,"y":2};type=application/json' -F count=1 "$B/multipart"
probe "multipart: point as a text part" -F "file=@/tmp/probe-file.png;type=image/png" -F 'point={"x":1,"y":2}' -F count=1 "$B/multipart"
probe "multipart: point as point[x], point[y] parts" -F "file=@/tmp/probe-file.png;type=image/png" -F 'point[x]=1' -F 'point[y]=2' -F count=1 "$B/multipart"
probe "multipart: file as text/plain (not encoding.contentType)" -F "file=@/tmp/probe-file.png;type=text/plain" -F 'point={"x":1,"y":2};type=application/json' -F count=1 "$B/multipart"
probe "multipart: file part missing" -F 'point={"x":1,"y":2};type=application/json' -F count=1 "$B/multipart"
probe "multipart: no boundary in Content-Type" -H "Content-Type: multipart/form-data" --data-binary "x" "$B/multipart"
probe "optional body: none sent" -X POST "$B/optional-body"
probe "optional body: valid JSON" -H "Content-Type: application/json" --data '{"x":1,"y":2}' "$B/optional-body"
probe "optional body: invalid JSON value" -H "Content-Type: application/json" --data '{"x":0,"y":2}' "$B/optional-body"
probe "optional body: empty with JSON Content-Type" -X POST -H "Content-Type: application/json" "$B/optional-body"
probe "required body: none sent" -X POST "$B/required-body"
probe "required body: wrong Content-Type" -H "Content-Type: text/plain" --data 'x' "$B/required-body"
probe "required body: form Content-Type on a JSON operation" -H "Content-Type: application/x-www-form-urlencoded" --data 'x=1&y=2' "$B/required-body"
probe "GET with a form body and Content-Type" -X GET -H "Content-Type: application/x-www-form-urlencoded" --data 'n=1' "$B/no-default?n=1"
probe "invalid request, no error response in spec" "$B/no-default?n=x"
probe "invalid request, operation has a default response" "$B/negotiate?unknown=1" -H "Accept: application/json"
probe "Accept: application/json" -H "Accept: application/json" "$B/negotiate"
probe "Accept: text/plain" -H "Accept: text/plain" "$B/negotiate"
probe "Accept: text/plain;q=0.5, application/json" -H "Accept: text/plain;q=0.5, application/json" "$B/negotiate"
probe "Accept: application/xml (not offered)" -H "Accept: application/xml" "$B/negotiate"
probe "Accept: image/png on octet-stream" -H "Accept: image/png" "$B/binary"
probe "Accept: application/octet-stream" -H "Accept: application/octet-stream" "$B/binary"
probe "Prefer: code=404" -H "Prefer: code=404" "$B/negotiate"
probe "Prefer: code=500 (only default)" -H "Prefer: code=500" "$B/negotiate"
probe "Prefer: code=418 (not documented)" -H "Prefer: code=418" "$B/negotiate"
probe "Prefer: example=large" -H "Prefer: example=large" "$B/negotiate"
probe "Prefer: example=nope (no such example)" -H "Prefer: example=nope" "$B/negotiate"
probe "Prefer: dynamic=true" -H "Prefer: dynamic=true" "$B/negotiate"
probe "Prefer: dynamic=true (again: random each time without --seed)" -H "Prefer: dynamic=true" "$B/negotiate"
probe "undocumented path" "$B/nowhere"
probe "undocumented method" -X DELETE "$B/negotiate"
