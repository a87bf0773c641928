-- The :Smallbatch… commands, and the lenses and statusline of every buffer
-- the smallbatch server attaches to. Starting the server is
-- vim.lsp.enable('smallbatch') (0.11) or require('smallbatch').setup{}.
if vim.g.loaded_smallbatch then
  return
end
vim.g.loaded_smallbatch = true

local function command(name, method, opts)
  opts = opts or {}
  vim.api.nvim_create_user_command(name, function(args)
    require('smallbatch.commands')[method](args)
  end, opts)
end

local function units(lead, line)
  return require('smallbatch.commands').complete_units(lead, line)
end

command('SmallbatchStart', 'start', { nargs = '?', complete = units, desc = 'Start a session on the scenario under the cursor' })
command('SmallbatchResume', 'resume', { desc = "Resume the spec's paused session" })
command('SmallbatchPause', 'pause', { nargs = '+', desc = 'Pause the active session with notes' })
command('SmallbatchComplete', 'complete', { nargs = '*', desc = 'Complete the active session' })
command('SmallbatchStatus', 'status', { desc = "The spec's units and their state" })
command('SmallbatchContext', 'context', { desc = 'The context load of the scenario under the cursor' })
command('SmallbatchCheck', 'check', { desc = 'smallbatch check into the quickfix list' })

-- LspAttach is 0.8+; before, setup{} passes the same function as on_attach.
if vim.fn.exists('##LspAttach') == 1 then
  vim.api.nvim_create_autocmd('LspAttach', {
    group = vim.api.nvim_create_augroup('smallbatch_attach', { clear = true }),
    callback = function(event)
      local client = vim.lsp.get_client_by_id(event.data.client_id)
      if client and client.name == 'smallbatch' then
        require('smallbatch').attach(client, event.buf)
      end
    end,
  })
end
