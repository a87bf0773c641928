-- Scenario 3: an agent configured with setup{}; :SmallbatchStart runs it in
-- a terminal split with the context file as one argument.
local T = dofile(os.getenv('HARNESS'))
T.watchdog(60)
T.load_plugin()

local SCENARIO_1 = "Export a month's invoices"
require('smallbatch').setup({ agent = { os.getenv('AGENT'), '{context}', '{scenario}' } })

vim.cmd('edit specs/001-export/README.md')
local spec = vim.api.nvim_get_current_buf()

T.check('scenario 3: the agent runs in a terminal split with the context file as one argument', function()
  T.wait(10000, function()
    return #vim.lsp.get_clients({ bufnr = spec, name = 'smallbatch' }) > 0
  end, 'no client attached')
  vim.cmd('SmallbatchStart ' .. SCENARIO_1)
  local out = os.getenv('AGENT_OUT')
  T.wait(15000, function()
    return vim.fn.filereadable(out) == 1
  end, 'the agent did not run')
  local args = vim.fn.readfile(out)
  T.eq(args[1], '2', 'argument count')
  if not args[2]:match('%.context%.md$') or vim.fn.filereadable(args[2]) ~= 1 then
    error('the first argument is not the context file: ' .. vim.inspect(args), 0)
  end
  T.eq(args[3], SCENARIO_1, 'the scenario, one argument, quote and all')
  local terminals = vim.tbl_filter(function(w)
    return vim.bo[vim.api.nvim_win_get_buf(w)].buftype == 'terminal'
  end, vim.api.nvim_list_wins())
  T.eq(#terminals, 1, 'terminal windows')
  if #vim.api.nvim_list_wins() < 3 then
    error('the spec, the context and the terminal are not all in windows', 0)
  end
end)

T.finish()
