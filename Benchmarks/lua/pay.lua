-- /sandbox/pay by a random one of the seeded members (openid o…n, code M…n, as claim.lua made
-- them), paying with the member card at the merchant id that carries the pay-gift rule.
-- args: members card_id mchid
function init(args)
  members = tonumber(args[1])
  card_id = args[2]
  mchid = args[3]
  wrk.method = "POST"
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  local n = math.random(0, members - 1)
  local body = string.format('{"mchid":"%s","openid":"o%027d","total_fee":12345,"card_id":"%s","code":"M%07d","use_bonus":5}',
    mchid, n, card_id, n)
  return wrk.format(nil, nil, nil, body)
end
