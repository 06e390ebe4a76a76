-- Asks for 62-day ranges of the seeded year, each starting on a day drawn at random.
-- Args: MODE (info | detail), CARD_ID, then the year's dates in order (YYYY-MM-DD).
function init(args)
  mode = args[1]
  card_id = args[2]
  dates = {}
  for i = 3, #args do dates[#dates + 1] = args[i] end
  wrk.method = "POST"
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end

function request()
  local first = math.random(1, #dates - 61)
  local body
  if mode == "detail" then
    body = string.format('{"begin_date":"%s","end_date":"%s","card_id":"%s"}', dates[first], dates[first + 61], card_id)
  else
    body = string.format('{"begin_date":"%s","end_date":"%s","cond_source":1}', dates[first], dates[first + 61])
  end
  return wrk.format(nil, nil, nil, body)
end
