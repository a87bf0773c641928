-- Scenario 4: the server binary is not on PATH; :checkhealth smallbatch
-- says so, with the setting that fixes it.
local T = dofile(os.getenv('HARNESS'))
T.watchdog(60)
T.load_plugin()

vim.lsp.enable('smallbatch')

T.check('scenario 4: :checkhealth smallbatch reports the missing binary and the setting', function()
  vim.cmd('checkhealth smallbatch')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  for _, wanted in ipairs({ 'ERROR', '`smallbatch` was not found', "vim.lsp.config('smallbatch', { cmd =" }) do
    if not text:find(wanted, 1, true) then
      error('no "' .. wanted .. '" in:\n' .. text, 0)
    end
  end
end)

T.finish()
