-- smallbatch for Neovim: a thin client of `smallbatch lsp`. Every rule
-- lives in the server; this module finds the client, sends the server's
-- commands (workspace/executeCommand) and does what an editor does with
-- their answers: the context load in a split, the agent in a terminal,
-- lenses refreshed, the session in the statusline.
--
-- Neovim 0.11: `vim.lsp.enable('smallbatch')` (lsp/smallbatch.lua) or
-- require('smallbatch').setup{}. Neovim 0.7–0.10: setup{}, which starts
-- the client itself.

local M = {}

local COMMANDS = {
  start = 'smallbatch.start',
  pause = 'smallbatch.pause',
  resume = 'smallbatch.resume',
  complete = 'smallbatch.complete',
  status = 'smallbatch.status',
  context = 'smallbatch.context',
}

--- What setup{} was given, over the defaults.
M.config = {
  --- The server's command line.
  cmd = nil,
  --- The agent's argument list, with {context}, {session}, {scenario}
  --- and {spec} placeholders; nil: the workspace's agent, if it has one.
  agent = nil,
  --- Show and refresh code lenses.
  lens = true,
}

--- The open session of the last spec asked about, for the statusline.
local open_session = nil
--- The spec the last command acted on.
local last_spec = nil

local function has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

local function notify(message, level)
  vim.notify('smallbatch: ' .. message, level or vim.log.levels.INFO)
end

--- The server's command line when nothing else is set.
function M.default_cmd()
  local exe = vim.g.smallbatch_server or 'smallbatch'
  return { exe, 'lsp', '--stdio' }
end

--- The command line the client runs: setup{cmd}, else the 0.11 config's,
--- else the default.
function M.server_cmd()
  if M.config.cmd then
    return M.config.cmd
  end
  if has('0.11') and vim.lsp.config and vim.lsp.config.smallbatch then
    local cmd = vim.lsp.config.smallbatch.cmd
    if type(cmd) == 'table' then
      return cmd
    end
  end
  return M.default_cmd()
end

--- The running smallbatch clients, those attached to `bufnr` first.
local function clients(bufnr)
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ name = 'smallbatch' })
  else
    all = vim.tbl_filter(function(c)
      return c.name == 'smallbatch'
    end, vim.lsp.get_active_clients())
  end
  table.sort(all, function(a, b)
    local attached = function(c)
      return bufnr and vim.lsp.buf_is_attached(bufnr, c.id) and 0 or 1
    end
    return attached(a) < attached(b)
  end)
  return all
end

local function request(client, method, params, handler, bufnr)
  if has('0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- The workspace root of the client (or of the current folder).
function M.root(client)
  client = client or clients(vim.api.nvim_get_current_buf())[1]
  if client and client.config.root_dir then
    return client.config.root_dir
  end
  return M.find_root(vim.fn.getcwd())
end

--- The nearest folder at or above `dir` with `.smallbatch`, else `specs`,
--- else `.git`.
function M.find_root(dir)
  for _, marker in ipairs({ '.smallbatch', 'specs', '.git' }) do
    local at = dir
    while at and at ~= '' do
      local path = at .. '/' .. marker
      if vim.fn.isdirectory(path) == 1 or vim.fn.filereadable(path) == 1 then
        return at
      end
      local up = vim.fn.fnamemodify(at, ':h')
      if up == at then
        break
      end
      at = up
    end
  end
  return nil
end

--- The spec to act on: the current buffer when it is a markdown file the
--- server reads, else the spec of the last command.
local function current_spec()
  local buf = vim.api.nvim_get_current_buf()
  local client = clients(buf)[1]
  if client and vim.bo[buf].filetype == 'markdown' and vim.lsp.buf_is_attached(buf, client.id) then
    return vim.uri_from_bufnr(buf), client
  end
  return last_spec, client
end

--- Opens `path` in a split below, unless a window shows it already.
local function show_beside(path)
  local buf = vim.fn.bufnr(path)
  if buf ~= -1 and vim.fn.bufwinid(buf) ~= -1 then
    return
  end
  vim.cmd('belowright split ' .. vim.fn.fnameescape(path))
end

--- The agent's argument list for a started session: the configured one
--- with its placeholders filled, else the workspace's (filled by the server).
local function agent_argv(started, args)
  local configured = M.config.agent or vim.g.smallbatch_agent
  if type(configured) == 'table' and #configured > 0 then
    local fill = {
      ['{context}'] = started.contextFile,
      ['{session}'] = started.sessionId,
      ['{scenario}'] = args.scenario or args.phase or args.task or '',
      ['{spec}'] = args.spec or '',
    }
    return vim.tbl_map(function(arg)
      return (arg:gsub('{%a+}', function(p)
        return fill[p] or p
      end))
    end, configured)
  end
  if type(started.agentCommand) == 'table' and #started.agentCommand > 0 then
    return started.agentCommand
  end
  return nil
end

--- Runs the agent in a terminal split, as an argument list: no shell ever
--- reads the scenario's text.
local function run_agent(argv, cwd)
  vim.cmd('belowright split')
  vim.cmd('enew')
  if has('0.11') then
    vim.fn.jobstart(argv, { term = true, cwd = cwd })
  else
    vim.fn.termopen(argv, { cwd = cwd })
  end
end

--- After start and resume: the context load in a split, then the agent.
local function started(answer, args, client)
  show_beside(answer.contextFile)
  local argv = agent_argv(answer, args)
  if argv then
    run_agent(argv, M.root(client))
  end
end

--- Asks the server for the open session of `spec` and redraws the
--- statuslines.
function M.refresh_status(spec, client)
  spec = spec or current_spec()
  client = client or clients(vim.api.nvim_get_current_buf())[1]
  if not spec or not client then
    return
  end
  request(client, 'workspace/executeCommand', {
    command = COMMANDS.status,
    arguments = { { spec = spec } },
  }, function(err, report)
    if not err and type(report) == 'table' then
      open_session = report.open ~= vim.NIL and report.open or nil
      vim.schedule(function()
        vim.cmd('redrawstatus!')
      end)
    end
  end)
end

--- Sends a server command with its one argument; `done(answer)` on
--- success. A refusal is shown with the server's reason.
function M.run(command, args, done)
  local spec, client = current_spec()
  args = vim.tbl_extend('keep', args or {}, { spec = spec })
  if not client then
    notify('the language server is not running (see :checkhealth smallbatch)', vim.log.levels.ERROR)
    return
  end
  if not args.spec then
    notify('open a spec first', vim.log.levels.ERROR)
    return
  end
  last_spec = args.spec
  request(client, 'workspace/executeCommand', {
    command = command,
    arguments = { args },
  }, function(err, answer)
    vim.schedule(function()
      if err then
        local message = err.message or tostring(err)
        notify(message, vim.log.levels.ERROR)
        -- A start the rules refuse (out of order, done, a finished spec)
        -- can be asked for again, on purpose.
        if command == COMMANDS.start and not args.force and message:find('--force', 1, true) then
          vim.ui.select({ 'Start anyway', 'Cancel' }, { prompt = message }, function(choice)
            if choice == 'Start anyway' then
              M.run(command, vim.tbl_extend('force', args, { force = true }), done)
            end
          end)
        end
        return
      end
      if command == COMMANDS.start or command == COMMANDS.resume then
        started(answer, args, client)
      elseif command == COMMANDS.pause then
        notify('paused ' .. tostring(answer.sessionId))
      elseif command == COMMANDS.complete then
        notify('completed ' .. tostring(answer.sessionId))
      end
      if done then
        done(answer)
      end
      M.refresh_status(args.spec, client)
    end)
  end, vim.api.nvim_get_current_buf())
end

--- The server's commands run by the client (from lenses and code
--- actions) go through M.run, so lenses open the context and the agent
--- as the commands do. A lens that only informs has the empty command.
function M.client_commands()
  local commands = { [''] = function() end }
  for _, name in pairs(COMMANDS) do
    commands[name] = function(command)
      M.run(command.command, (command.arguments or {})[1])
    end
  end
  return commands
end

--- Refreshes the lenses of `bufnr`.
function M.refresh_lenses(bufnr)
  if not M.config.lens then
    return
  end
  if has('0.11') then
    pcall(vim.lsp.codelens.refresh, { bufnr = bufnr })
  elseif bufnr == vim.api.nvim_get_current_buf() then
    pcall(vim.lsp.codelens.refresh)
  end
end

--- Handlers for what the server asks of the client.
function M.handlers()
  return {
    -- The context load after start and resume: in a split, not in place
    -- of the spec.
    ['window/showDocument'] = function(_, params)
      vim.schedule(function()
        show_beside(vim.uri_to_fname(params.uri))
      end)
      return { success = true }
    end,
    ['workspace/codeLens/refresh'] = function(_, _, ctx)
      vim.schedule(function()
        for _, buf in ipairs(vim.lsp.get_buffers_by_client_id(ctx.client_id)) do
          if vim.api.nvim_buf_is_loaded(buf) then
            M.refresh_lenses(buf)
          end
        end
      end)
      return vim.NIL
    end,
  }
end

--- Once per buffer the server attaches to: lenses now and on BufEnter
--- and InsertLeave; the session for the statusline.
function M.attach(client, bufnr)
  if vim.b[bufnr].smallbatch_attached then
    return
  end
  vim.b[bufnr].smallbatch_attached = true
  local group = vim.api.nvim_create_augroup('smallbatch_buffer_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.refresh_lenses(bufnr)
      if vim.bo[bufnr].filetype == 'markdown' then
        M.refresh_status(vim.uri_from_bufnr(bufnr), client)
      end
    end,
  })
  M.refresh_lenses(bufnr)
  if vim.bo[bufnr].filetype == 'markdown' then
    M.refresh_status(vim.uri_from_bufnr(bufnr), client)
  end
end

--- The active session's unit and how long it has run ("▶ Export · 12m"),
--- a paused one's ("⏸ Export · paused"), or "" — for any statusline.
function M.statusline()
  local open = open_session
  if type(open) ~= 'table' or type(open.unit) ~= 'table' then
    return ''
  end
  if open.status == 'paused' then
    return '⏸ ' .. open.unit.name .. ' · paused'
  end
  return '▶ ' .. open.unit.name .. ' · ' .. M.elapsed(open.createdAt)
end

--- Minutes (or hours and minutes) since an RFC 3339 UTC time.
function M.elapsed(since, now)
  local y, mo, d, h, mi, s = tostring(since):match('^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)')
  if not y then
    return '?'
  end
  local utc = os.time({ year = y, month = mo, day = d, hour = h, min = mi, sec = s, isdst = false })
  local offset = os.time() - os.time(os.date('!*t'))
  local seconds = math.max(0, (now or os.time()) - (utc + offset))
  local minutes = math.floor(seconds / 60)
  if minutes < 60 then
    return minutes .. 'm'
  end
  return string.format('%dh%02dm', math.floor(minutes / 60), minutes % 60)
end

--- The client's configuration for Neovim 0.7–0.10.
local function client_config(root)
  return {
    name = 'smallbatch',
    cmd = M.server_cmd(),
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    commands = M.client_commands(),
    handlers = M.handlers(),
    on_attach = M.attach,
  }
end

local started_clients = {}

--- Starts (or reuses) the client for a buffer, on Neovim before 0.11.
local function start_for(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return
  end
  local root = M.find_root(vim.fn.fnamemodify(name, ':p:h')) or vim.fn.getcwd()
  if vim.lsp.start then
    vim.lsp.start(client_config(root), { bufnr = bufnr })
    return
  end
  local id = started_clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(client_config(root))
    started_clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

--- For users who prefer a call: `setup{ cmd = {…}, agent = {…}, lens = true }`.
--- On 0.11 it configures and enables lsp/smallbatch.lua; before, it
--- starts the client for markdown and cucumber buffers itself.
function M.setup(opts)
  M.config = vim.tbl_extend('force', M.config, opts or {})
  if has('0.11') and vim.lsp.enable then
    if M.config.cmd then
      vim.lsp.config('smallbatch', { cmd = M.config.cmd })
    end
    vim.lsp.enable('smallbatch')
    return
  end
  local group = vim.api.nvim_create_augroup('smallbatch_start', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'markdown', 'cucumber' },
    callback = function(event)
      start_for(event.buf)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    local ft = vim.bo[buf].filetype
    if vim.api.nvim_buf_is_loaded(buf) and (ft == 'markdown' or ft == 'cucumber') then
      start_for(buf)
    end
  end
end

M.commands = COMMANDS
M.clients = clients
M.current_spec = current_spec
M.request = request

return M
