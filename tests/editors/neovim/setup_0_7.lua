-- Scenario 5: Neovim 0.7 with setup{}: the plugin loads without errors,
-- diagnostics appear, the commands exist.
local T = dofile(os.getenv('HARNESS'))
T.watchdog(60)

T.check('scenario 5: the plugin loads without errors', function()
  T.load_plugin()
  require('smallbatch').setup({})
  T.eq(vim.v.errmsg, '', 'v:errmsg')
end)

T.check('scenario 5: diagnostics appear', function()
  vim.cmd('edit specs/002-import/README.md')
  local buf = vim.api.nvim_get_current_buf()
  T.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'SB010' then
        return true
      end
    end
  end, 'no SB010 diagnostic', function()
    return vim.inspect(vim.diagnostic.get(buf)) .. ' ' .. vim.v.errmsg
  end)
end)

T.check('scenario 5: the commands exist', function()
  for _, name in ipairs({ 'Start', 'Resume', 'Pause', 'Complete', 'Status', 'Context', 'Check' }) do
    T.eq(vim.fn.exists(':Smallbatch' .. name), 2, ':Smallbatch' .. name)
  end
end)

T.check('scenario 5: nothing went wrong on the way', function()
  T.eq(vim.v.errmsg, '', 'v:errmsg')
end)

T.finish()
