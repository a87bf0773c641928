-- The smallbatch language server, for Neovim 0.11's vim.lsp.config:
-- `vim.lsp.enable('smallbatch')` is the one line a user needs. Override
-- any field with vim.lsp.config('smallbatch', { cmd = { … } }).
local smallbatch = require('smallbatch')

return {
  cmd = smallbatch.default_cmd(),
  filetypes = { 'markdown', 'cucumber' },
  root_markers = { '.smallbatch', 'specs', '.git' },
  commands = smallbatch.client_commands(),
  handlers = smallbatch.handlers(),
}
