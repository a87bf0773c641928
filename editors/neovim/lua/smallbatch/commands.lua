-- The :Smallbatch… commands. Each finds the spec and the unit (the
-- scenario under the cursor, else one picked with vim.ui.select) and
-- sends the server's command; :SmallbatchCheck runs `smallbatch check`.

local smallbatch = require('smallbatch')
local C = smallbatch.commands

local M = {}

local SYMBOL_EVENT = 24 -- LSP's SymbolKind.Event: the server's units of work

local function flatten(symbols, out)
  for _, s in ipairs(symbols or {}) do
    table.insert(out, s)
    flatten(s.children, out)
  end
  return out
end

--- The units of the spec in `bufnr`, from the server's document symbols:
--- { name, kind = 'scenario' | 'phase' | 'task', first, last } (0-based lines).
local function units(bufnr)
  local answers = vim.lsp.buf_request_sync(bufnr, 'textDocument/documentSymbol', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  }, 2000) or {}
  local out = {}
  for id, answer in pairs(answers) do
    local client = vim.lsp.get_client_by_id(id)
    if client and client.name == 'smallbatch' and type(answer.result) == 'table' then
      for _, s in ipairs(flatten(answer.result, {})) do
        if s.kind == SYMBOL_EVENT and s.range then
          local detail = type(s.detail) == 'string' and s.detail or ''
          table.insert(out, {
            name = s.name,
            kind = (detail:sub(1, 5) == 'Phase' and 'phase') or (detail == 'task' and 'task') or 'scenario',
            first = s.range.start.line,
            last = s.range['end'].line,
          })
        end
      end
    end
  end
  return out
end

--- The unit whose lines hold the cursor (the innermost), as the
--- command's argument: { scenario = name }, { phase = name } or { task = name }.
local function unit_under_cursor()
  local bufnr = vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].filetype ~= 'markdown' then
    return nil
  end
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local best
  for _, u in ipairs(units(bufnr)) do
    if u.first <= line and line <= u.last and (not best or u.last - u.first < best.last - best.first) then
      best = u
    end
  end
  if not best then
    return nil
  end
  return { [best.kind] = best.name }
end

--- A unit picked among the spec's unfinished ones (from the server's status).
local function pick_unit(prompt, done)
  smallbatch.run(C.status, {}, function(report)
    local open = vim.tbl_filter(function(u)
      return u.state ~= 'completed'
    end, report.units or {})
    vim.ui.select(open, {
      prompt = prompt,
      format_item = function(u)
        return string.format('%d. %s (%s)', u.index, u.name, u.state)
      end,
    }, function(u)
      if u then
        done({ [u.kind or 'scenario'] = u.name })
      end
    end)
  end)
end

function M.start(opts)
  local unit = opts.args ~= '' and { scenario = opts.args } or unit_under_cursor()
  if unit then
    smallbatch.run(C.start, unit)
  else
    pick_unit('Start a session on which unit?', function(u)
      smallbatch.run(C.start, u)
    end)
  end
end

function M.resume()
  smallbatch.run(C.resume, {})
end

function M.pause(opts)
  smallbatch.run(C.pause, { notes = opts.args })
end

function M.complete(opts)
  smallbatch.run(C.complete, { summary = opts.args ~= '' and opts.args or nil })
end

function M.status()
  smallbatch.run(C.status, {}, function(report)
    local lines = {}
    local marks = { pending = '○', active = '▶', paused = '⏸', completed = '✔', failed = '✗' }
    for _, u in ipairs(report.units or {}) do
      table.insert(lines, string.format('%s %d. %s', marks[u.state] or '?', u.index, u.name))
    end
    vim.notify(tostring(report.spec) .. '\n' .. table.concat(lines, '\n'))
  end)
end

--- The context load that start would hand over, in a scratch split.
function M.context()
  smallbatch.run(C.context, unit_under_cursor() or {}, function(preview)
    vim.cmd('belowright new')
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'wipe'
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(preview.text or '', '\n'))
    vim.bo[buf].filetype = 'markdown'
    vim.bo[buf].modified = false
    vim.notify(string.format('smallbatch: the context of %s: about %d tokens', preview.unit, preview.tokens))
  end)
end

local severities = { error = 'E', warning = 'W', info = 'I' }

--- `smallbatch check --format json` in the workspace, into the quickfix list.
function M.check()
  local root = smallbatch.root() or vim.fn.getcwd()
  local exe = smallbatch.server_cmd()[1]
  local out = {}
  local id = vim.fn.jobstart({ exe, 'check', '--format', 'json' }, {
    cwd = root,
    stdout_buffered = true,
    on_stdout = function(_, data)
      out = data
    end,
    on_exit = function(_, code)
      vim.schedule(function()
        local ok, report = pcall(vim.fn.json_decode, table.concat(out, '\n'))
        if not ok or type(report) ~= 'table' then
          vim.notify('smallbatch: check printed no report (exit ' .. code .. ')', vim.log.levels.ERROR)
          return
        end
        if report.error then
          vim.notify('smallbatch: ' .. tostring(report.error.message), vim.log.levels.ERROR)
          return
        end
        local items = {}
        for _, d in ipairs(report.diagnostics or {}) do
          table.insert(items, {
            filename = root .. '/' .. d.path,
            lnum = d.line,
            col = d.column,
            end_lnum = d.endLine,
            end_col = d.endColumn,
            type = severities[d.severity] or 'E',
            text = string.format('%s: %s', d.code, d.message),
          })
        end
        vim.fn.setqflist({}, ' ', { title = 'smallbatch check', items = items })
        vim.notify(string.format('smallbatch: %d files checked: %d errors, %d warnings', report.files or 0, report.errors or 0, report.warnings or 0))
        if #items > 0 then
          vim.cmd('copen')
        end
      end)
    end,
  })
  if id <= 0 then
    vim.notify('smallbatch: cannot run `' .. exe .. '` (see :checkhealth smallbatch)', vim.log.levels.ERROR)
  end
end

--- Completion of scenario names, from the current spec's units. A name
--- may hold spaces: what was typed after the command is matched, and
--- each name is offered from where the word being completed starts.
function M.complete_units(lead, line)
  local typed = (line or lead):match('^%s*%S+%s+(.*)$') or lead
  local names = {}
  for _, u in ipairs(units(vim.api.nvim_get_current_buf())) do
    if u.name:sub(1, #typed) == typed then
      table.insert(names, u.name:sub(#typed - #lead + 1))
    end
  end
  return names
end

return M
