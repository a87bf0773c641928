-- `.feature` files are Gherkin: Neovim's `cucumber` filetype. (Gherkin in
-- markdown needs no filetype of its own: the server's semantic tokens
-- highlight it, so g:markdown_fenced_languages is left alone.)
vim.cmd([[autocmd BufRead,BufNewFile *.feature setfiletype cucumber]])
