local t0 = os.clock()
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
local s = 0
for i = 1, 3 do s = s + fib(24) end
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 1000003 end
table.sort(t)
local str = {}
for i = 1, 20000 do str[#str+1] = tostring(i) end
local joined = table.concat(str, ",")
print(string.format("lua-bench checksum %d %d %d time %.3f", s, t[1000], #joined, os.clock() - t0))
