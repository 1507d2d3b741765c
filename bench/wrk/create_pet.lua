-- POST /pawplacer/api/pets with a fresh Idempotency-Key and a distinct body on every request.
-- Pass the API key with -H "x-api-key: ..."; it is copied into each request.
local counter = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(os.time() + (thread_number or 0))
  prefix = string.format("wrk-%d-%d", thread_number or 0, math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local key = prefix .. "-" .. counter
  local body = string.format(
    '{"name":"Bench %s","species":"dog","age_category":"young","sex":"male","size":"medium",' ..
    '"status":"Available","health":"good","show_public":true,"breed":["Labrador Retriever"],' ..
    '"adoption_fee":%d}', key, counter % 500)
  local headers = {["Content-Type"] = "application/json", ["Idempotency-Key"] = key}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  return wrk.format("POST", nil, headers, body)
end
