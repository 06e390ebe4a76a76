-- A request on a random one of the seeded members (openid o…n, code M…n, as claim.lua made them).
-- args: members card_id mode [mchid]; mode "read" (userinfo/get), "add" (updateuser add_bonus 1)
-- or "pay" (/sandbox/pay with the member card at mchid, which carries the pay-gift rule).
function init(args)
  members = tonumber(args[1])
  card_id = args[2]
  mode = args[3]
  mchid = args[4]
  wrk.method = "POST"
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  local n = math.random(0, members - 1)
  local body
  if mode == "add" then
    body = string.format('{"card_id":"%s","code":"M%07d","add_bonus":1,"record_bonus":"bench"}', card_id, n)
  elseif mode == "pay" then
    body = string.format('{"mchid":"%s","openid":"o%027d","total_fee":12345,"card_id":"%s","code":"M%07d","use_bonus":5}',
      mchid, n, card_id, n)
  else
    body = string.format('{"card_id":"%s","code":"M%07d"}', card_id, n)
  end
  return wrk.format(nil, nil, nil, body)
end
