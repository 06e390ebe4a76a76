-- Seeds members: each request claims the card for a new openid with a custom code
-- M0000000…, numbered per wrk thread so threads never collide. A thread stops after
-- `per_thread` claims have answered.
local threads = {}
local counter = 0
local answered = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  per_thread = tonumber(args[1])
  card_id = args[2]
  wrk.method = "POST"
end

function request()
  local n = tid * per_thread + (counter % per_thread)
  counter = counter + 1
  local body = string.format('{"card_id":"%s","openid":"o%027d","code":"M%07d"}', card_id, n, n)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  answered = answered + 1
  if answered >= per_thread then wrk.thread:stop() end
end
