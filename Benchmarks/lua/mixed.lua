-- A mixed member load on the seeded members (lua/claim.lua's names): 80% userinfo/get, 20%
-- durable updateuser (add_bonus 1). args: members card_id access_token
function init(args)
  members = tonumber(args[1])
  card_id = args[2]
  token = args[3]
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  local n = math.random(0, members - 1)
  if math.random() < 0.8 then
    return wrk.format("POST", "/card/membercard/userinfo/get?access_token=" .. token, nil,
      string.format('{"card_id":"%s","code":"M%07d"}', card_id, n))
  end
  return wrk.format("POST", "/card/membercard/updateuser?access_token=" .. token, nil,
    string.format('{"card_id":"%s","code":"M%07d","add_bonus":1,"record_bonus":"bench"}', card_id, n))
end
