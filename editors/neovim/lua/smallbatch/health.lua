-- :checkhealth smallbatch — the Neovim version, the server binary and its
-- version, the workspace's configuration, and the active session.

local M = {}

local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

local SETTING = {
  "set the server's path: vim.lsp.config('smallbatch', { cmd = { '/path/to/smallbatch', 'lsp', '--stdio' } })",
  "or: require('smallbatch').setup{ cmd = { '/path/to/smallbatch', 'lsp', '--stdio' } }",
  'or install it on PATH: cargo install --path server (in the smallbatch repository)',
}

--- Runs `argv` in `cwd`; its output and exit code.
local function run(argv, cwd)
  local out = {}
  local id = vim.fn.jobstart(argv, {
    cwd = cwd,
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = function(_, data)
      vim.list_extend(out, data)
    end,
    on_stderr = function(_, data)
      vim.list_extend(out, data)
    end,
  })
  if id <= 0 then
    return nil, -1
  end
  local code = vim.fn.jobwait({ id }, 10000)[1]
  return vim.trim(table.concat(out, '\n')), code
end

local function decode(text)
  local first = (text or ''):match('^[^\n]*')
  local okay, value = pcall(vim.fn.json_decode, first)
  return okay and type(value) == 'table' and value or nil
end

function M.check()
  local smallbatch = require('smallbatch')
  start('smallbatch')

  local v = vim.version()
  local version = string.format('%d.%d.%d', v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    ok('Neovim ' .. version .. ": vim.lsp.enable('smallbatch') starts the server")
  elseif vim.fn.has('nvim-0.8') == 1 then
    ok('Neovim ' .. version .. ": use require('smallbatch').setup{} (vim.lsp.enable needs 0.11)")
  else
    warn('Neovim ' .. version .. ': setup{} works; semantic tokens (Gherkin highlighting) need 0.9', {
      'upgrade to Neovim 0.11 for vim.lsp.enable and highlighting',
    })
  end

  local exe = smallbatch.server_cmd()[1]
  if vim.fn.executable(exe) ~= 1 then
    error('the server binary `' .. exe .. '` was not found (not on PATH, or not executable)', SETTING)
    return
  end
  local printed = run({ exe, '--version' })
  ok('server: ' .. vim.fn.exepath(exe) .. ' (' .. (printed or '?') .. ')')

  local root = smallbatch.root()
  if not root then
    info('no workspace here: no .smallbatch, specs or .git folder at or above ' .. vim.fn.getcwd())
    return
  end
  local out, code = run({ exe, 'check', '--format', 'json' }, root)
  local report = decode(out)
  if code == 2 then
    local message = report and report.error and report.error.message or out
    error('the workspace ' .. root .. ' cannot be checked: ' .. tostring(message), {
      'fix .smallbatch/config.toml as the message says',
    })
  elseif report then
    ok(string.format('workspace %s: configuration read; %d files checked, %d errors, %d warnings',
      root, report.files or 0, report.errors or 0, report.warnings or 0))
  else
    warn('workspace ' .. root .. ': `smallbatch check` printed no report: ' .. tostring(out))
  end

  local listed = decode(run({ exe, 'sessions', '--active', '--format', 'json' }, root))
  local sessions = listed and listed.sessions or {}
  if #sessions == 0 then
    info('no active or paused session')
  end
  for _, s in ipairs(sessions) do
    local unit = type(s.unit) == 'table' and s.unit.name or '?'
    ok(string.format('session %s: %s, %s', tostring(s.id), tostring(s.status), unit))
  end
end

return M
