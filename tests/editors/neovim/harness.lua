-- What every Neovim test case shares: the plugin on the runtimepath as a
-- plugin manager puts it, named checks whose results go to $RESULTS (one
-- `ok NAME` or `FAIL NAME: why` line each), a watchdog, and the exit.
local T = {}

local results = assert(os.getenv('RESULTS'), 'RESULTS names the results file')
local failures = 0
local current = 'loading'
local uv = vim.uv or vim.loop

local function record(line)
  local file = assert(io.open(results, 'a'))
  file:write(line, '\n')
  file:close()
end

--- The plugin (a copy of editors/neovim) on the runtimepath, its
--- plugin/ and ftdetect/ files sourced, as Neovim does at startup.
function T.load_plugin()
  vim.opt.runtimepath:prepend(assert(os.getenv('PLUGIN')))
  vim.cmd('filetype on')
  vim.cmd('runtime! plugin/smallbatch.lua')
end

--- Runs `fn`; a Lua error in it is the check's failure.
function T.check(name, fn)
  current = name
  local ok, err = pcall(fn)
  if ok then
    record('ok ' .. name)
  else
    failures = failures + 1
    record('FAIL ' .. name .. ': ' .. tostring(err):gsub('\n', ' | '))
  end
end

--- Waits up to `ms` for `predicate`; fails with `what` (and what
--- `describe` says, if given) when it does not hold by then.
function T.wait(ms, predicate, what, describe)
  local ok = vim.wait(ms, function()
    local good, value = pcall(predicate)
    return good and value
  end, 50)
  if not ok then
    error(what .. (describe and ('; ' .. describe()) or ''), 0)
  end
end

function T.eq(got, want, what)
  if not vim.deep_equal(got, want) then
    error(string.format('%s: got %s, want %s', what, vim.inspect(got), vim.inspect(want)), 0)
  end
end

--- The JSON records under .smallbatch/sessions of the workspace (the cwd).
function T.records()
  local out = {}
  for _, path in ipairs(vim.fn.glob('.smallbatch/sessions/*/*.json', false, true)) do
    local ok, record = pcall(vim.fn.json_decode, table.concat(vim.fn.readfile(path), '\n'))
    if ok and type(record) == 'table' then
      table.insert(out, record)
    end
  end
  table.sort(out, function(a, b)
    return a.id < b.id
  end)
  return out
end

--- Every line of every loaded buffer whose name ends with `suffix`.
function T.window_of(suffix)
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    local name = vim.api.nvim_buf_get_name(vim.api.nvim_win_get_buf(win))
    if name:sub(-#suffix) == suffix then
      return win
    end
  end
  return nil
end

--- Ends Neovim with the number of failed checks as its exit code.
function T.finish()
  record('done')
  vim.cmd('cquit ' .. failures)
end

--- Fails the run if it has not finished within `seconds`: a dead server
--- or a wait that never ends cannot hang CI.
function T.watchdog(seconds)
  local timer = uv.new_timer()
  timer:start(seconds * 1000, 0, function()
    vim.schedule(function()
      record('FAIL watchdog: still running after ' .. seconds .. ' s, in "' .. current .. '"')
      vim.cmd('cquit 99')
    end)
  end)
end

return T
