-- Neovim 0.11 with the plugin on the runtimepath and one line of
-- configuration: vim.lsp.enable('smallbatch'). Scenarios 1, 2 and 6.
local T = dofile(os.getenv('HARNESS'))
T.watchdog(90)
T.load_plugin()

vim.lsp.enable('smallbatch')

local SPEC = 'specs/001-export/README.md'
local BROKEN = 'specs/002-import/README.md'
local SCENARIO_1 = "Export a month's invoices"

local function client_of(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'smallbatch' })[1]
end

local function line_of(buf, pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line:find(pattern, 1, true) then
      return i
    end
  end
  error('no line holds ' .. pattern, 0)
end

local function latest()
  local records = T.records()
  return records[#records]
end

local function describe_record()
  return 'records: ' .. vim.inspect(T.records())
end

--- Back in the spec's window, the cursor on `line` (1-based).
local function in_spec(buf, line)
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd('buffer ' .. buf)
    win = vim.api.nvim_get_current_win()
  end
  vim.api.nvim_set_current_win(win)
  vim.api.nvim_win_set_cursor(win, { line, 4 })
end

vim.cmd('edit ' .. SPEC)
local spec = vim.api.nvim_get_current_buf()

T.check('scenario 1: the server attaches to a spec', function()
  T.wait(10000, function()
    return client_of(spec) ~= nil
  end, 'no smallbatch client attached')
  T.eq(vim.bo[spec].filetype, 'markdown', 'filetype')
end)

T.check('scenario 1: diagnostics appear (SB010 in the spec without an order)', function()
  vim.cmd('edit ' .. BROKEN)
  local broken = vim.api.nvim_get_current_buf()
  T.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(broken)) do
      if d.code == 'SB010' then
        return true
      end
    end
  end, 'no SB010 diagnostic', function()
    return vim.inspect(vim.diagnostic.get(broken))
  end)
  vim.cmd('buffer ' .. spec)
end)

T.check('scenario 1: code lenses appear', function()
  T.wait(10000, function()
    for _, lens in ipairs(vim.lsp.codelens.get(spec)) do
      if lens.command and lens.command.title:find('Start session', 1, true) then
        return true
      end
    end
  end, 'no "Start session" lens', function()
    return vim.inspect(vim.lsp.codelens.get(spec))
  end)
end)

T.check('scenario 6: semantic tokens mark the Gherkin block', function()
  local row = line_of(spec, 'Scenario: ' .. SCENARIO_1) - 1
  local function has(col, type)
    for _, token in ipairs(vim.inspect_pos(spec, row, col).semantic_tokens) do
      if token.opts.hl_group:find('@lsp.type.' .. type, 1, true) then
        return true
      end
    end
  end
  T.wait(10000, function()
    return has(2, 'keyword') and has(14, 'function')
  end, 'no keyword and function tokens on the scenario line', function()
    return vim.inspect(vim.inspect_pos(spec, row, 2).semantic_tokens)
  end)
  local step = line_of(spec, 'Given a month with 3 invoices') - 1
  T.wait(5000, function()
    local tokens = vim.inspect_pos(spec, step, 23).semantic_tokens
    return #tokens > 0 and tokens[1].opts.hl_group:find('@lsp.type.number', 1, true)
  end, 'the 3 is no number token')
end)

T.check('scenario names complete :SmallbatchStart', function()
  local names = vim.fn.getcompletion('SmallbatchStart Exp', 'cmdline')
  T.eq(names, { SCENARIO_1, 'Export an empty month' }, 'completions of "Exp"')
  -- After a space, the rest of each name from the word being completed.
  names = vim.fn.getcompletion('SmallbatchStart Export an e', 'cmdline')
  T.eq(names, { 'empty month' }, 'completions of "Export an e"')
end)

T.check(':SmallbatchStart out of order offers to start anyway; Cancel starts nothing', function()
  in_spec(spec, line_of(spec, 'Scenario: Export an empty month'))
  local offered
  local select = vim.ui.select
  vim.ui.select = function(items, opts, choose)
    offered = { items = items, prompt = opts.prompt }
    choose('Cancel')
  end
  vim.cmd('SmallbatchStart')
  T.wait(10000, function()
    return offered ~= nil
  end, 'no choice offered after the refusal')
  vim.ui.select = select
  T.eq(offered.items, { 'Start anyway', 'Cancel' }, 'the choices')
  T.eq(offered.prompt:find('out of order', 1, true) ~= nil, true, 'the prompt gives the reason')
  T.eq(#T.records(), 0, 'records after Cancel')
end)

T.check('scenario 2: :SmallbatchStart in scenario 1 → active, context open', function()
  in_spec(spec, line_of(spec, 'Given a month with 3 invoices'))
  vim.cmd('SmallbatchStart')
  T.wait(15000, function()
    local r = latest()
    return r and r.status == 'active' and r.unit.name == SCENARIO_1
  end, 'no active record of scenario 1', describe_record)
  T.wait(5000, function()
    return T.window_of('.context.md') ~= nil
  end, 'the context file is not open in a window')
  T.eq(#vim.tbl_filter(function(w)
    return vim.bo[vim.api.nvim_win_get_buf(w)].buftype == 'terminal'
  end, vim.api.nvim_list_wins()), 0, 'terminal windows without an agent configured')
end)

T.check('the statusline shows the active scenario and its time', function()
  T.wait(5000, function()
    return require('smallbatch').statusline():match("^▶ Export a month's invoices · %d+m$")
  end, 'statusline', function()
    return vim.inspect(require('smallbatch').statusline())
  end)
end)

T.check('scenario 2: :SmallbatchPause notes here → paused with those notes', function()
  in_spec(spec, line_of(spec, 'Given a month with 3 invoices'))
  vim.cmd('SmallbatchPause notes here')
  T.wait(10000, function()
    local r = latest()
    return r.status == 'paused' and r.notes == 'notes here'
  end, 'not paused with the notes', describe_record)
  T.wait(5000, function()
    return require('smallbatch').statusline() == "⏸ Export a month's invoices · paused"
  end, 'statusline when paused', function()
    return vim.inspect(require('smallbatch').statusline())
  end)
end)

T.check('scenario 2: :SmallbatchResume → active again', function()
  in_spec(spec, 1)
  vim.cmd('SmallbatchResume')
  T.wait(10000, function()
    return latest().status == 'active'
  end, 'not active after resume', describe_record)
end)

T.check('vim.lsp.codelens.run() on the lens line runs its command (Pause)', function()
  local line = line_of(spec, 'Scenario: ' .. SCENARIO_1)
  in_spec(spec, line)
  T.wait(10000, function()
    for _, lens in ipairs(vim.lsp.codelens.get(spec)) do
      if lens.range.start.line == line - 1 and lens.command.title:find('Pause', 1, true) then
        return true
      end
    end
  end, 'no Pause lens on the scenario line after the refresh', function()
    return vim.inspect(vim.lsp.codelens.get(spec))
  end)
  -- Two lenses on the line (Pause, Complete): codelens.run asks which.
  local select = vim.ui.select
  vim.ui.select = function(items, opts, choose)
    for _, item in ipairs(items) do
      local title = (opts.format_item and opts.format_item(item)) or vim.inspect(item)
      if title:find('Pause', 1, true) then
        return choose(item)
      end
    end
    choose(nil)
  end
  vim.lsp.codelens.run()
  vim.ui.select = select
  T.wait(10000, function()
    return latest().status == 'paused'
  end, 'the lens did not pause the session', describe_record)
end)

T.check(':SmallbatchCheck fills the quickfix list', function()
  vim.cmd('SmallbatchCheck')
  T.wait(10000, function()
    for _, item in ipairs(vim.fn.getqflist()) do
      if item.text:find('SB010', 1, true) and vim.api.nvim_buf_get_name(item.bufnr):find('002-import', 1, true) then
        return true
      end
    end
  end, 'no SB010 in the quickfix list', function()
    return vim.inspect(vim.fn.getqflist())
  end)
end)

T.check(':checkhealth smallbatch finds the binary, the workspace and the session', function()
  vim.cmd('checkhealth smallbatch')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  for _, wanted in ipairs({ 'Neovim 0.11', 'server: ', 'smallbatch 0.1.0', 'configuration read', 'paused' }) do
    if not text:find(wanted, 1, true) then
      error('no "' .. wanted .. '" in:\n' .. text, 0)
    end
  end
  vim.cmd('tabclose')
end)

T.check(':help smallbatch opens the plugin\'s help', function()
  vim.cmd('helptags ' .. vim.fn.fnameescape(os.getenv('PLUGIN') .. '/doc'))
  vim.cmd('help smallbatch')
  T.eq(vim.bo.filetype, 'help', 'filetype')
  T.eq(vim.fn.expand('%:t'), 'smallbatch.txt', 'help file')
  if not vim.api.nvim_get_current_line():find('*smallbatch*', 1, true) then
    error('not at the *smallbatch* tag: ' .. vim.api.nvim_get_current_line(), 0)
  end
  vim.cmd('help :SmallbatchPause')
  if not vim.api.nvim_get_current_line():find('*:SmallbatchPause*', 1, true) then
    error('not at the *:SmallbatchPause* tag: ' .. vim.api.nvim_get_current_line(), 0)
  end
  vim.cmd('helpclose')
end)

T.check('scenario 6: after an edit the tokens follow (delta)', function()
  in_spec(spec, 1)
  local at = line_of(spec, 'Scenario: Refuse an open month') - 1
  vim.api.nvim_buf_set_lines(spec, at, at, false, {
    '  @slow',
    '  Scenario Outline: Export <n> months',
    '    Given a doc string',
    '      """',
    '      <n> rows',
    '      """',
    '',
  })
  -- Tokens are drawn for the rows a window shows: the spec alone, on them.
  in_spec(spec, at + 1)
  vim.cmd('only')
  vim.cmd('normal! zt')
  local function type_at(row, col)
    vim.cmd('redraw')
    local tokens = vim.inspect_pos(spec, row, col).semantic_tokens
    return tokens[1] and tokens[1].opts.hl_group or ''
  end
  T.wait(10000, function()
    return type_at(at, 2):find('decorator', 1, true)
      and type_at(at + 1, 2):find('keyword', 1, true)
      and type_at(at + 1, 28):find('parameter', 1, true)
      and type_at(at + 3, 6):find('string', 1, true)
      and type_at(at + 4, 6):find('parameter', 1, true)
  end, 'no tag, keyword, placeholder and doc string tokens after the edit', function()
    return vim.inspect({ type_at(at, 2), type_at(at + 1, 2), type_at(at + 1, 28), type_at(at + 3, 6), type_at(at + 4, 6) })
  end)
  -- The line below the insertion moved: its keyword is still a keyword.
  T.wait(5000, function()
    return type_at(at + 7, 2):find('keyword', 1, true)
  end, 'the moved scenario line lost its keyword')
end)

T.finish()
