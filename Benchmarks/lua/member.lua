-- userinfo/get or updateuser (add_bonus 1) on a random one of the seeded members.
-- args: members card_id mode ("read" or "add")
function init(args)
  members = tonumber(args[1])
  card_id = args[2]
  mode = args[3]
  wrk.method = "POST"
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  local code = string.format("M%07d", math.random(0, members - 1))
  local body
  if mode == "add" then
    body = string.format('{"card_id":"%s","code":"%s","add_bonus":1,"record_bonus":"bench"}', card_id, code)
  else
    body = string.format('{"card_id":"%s","code":"%s"}', card_id, code)
  end
  return wrk.format(nil, nil, nil, body)
end
