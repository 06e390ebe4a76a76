-- The console's pages with a signed-in session: wrk ... -s console.lua URL -- COOKIE PATH...
-- Each request is the next of the paths, in turn.
local cookie, paths, n = nil, {}, 0
function init(args)
  cookie = args[1]
  for i = 2, #args do paths[#paths + 1] = args[i] end
end
function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n], { Cookie = cookie })
end
