-- Quarto-style cross-references for the built-in renderer (Quarto does this itself when it renders).
-- Figures and tables whose identifiers start with fig- or tbl- are numbered in document order, and @fig-x / @tbl-x
-- in the text become "Figure 1" / "Table 2". For Typst the numbering is Typst's own: a reference becomes @label.
-- In HTML, level-1 headings get their section number here (Typst numbers them in the template), except headings
-- marked {.unnumbered}, as with Quarto's number-sections and number-depth: 1.

local names = { fig = "Figure", tbl = "Table" }

local function kind_of(id)
  local prefix = id and id:match("^(%a+)%-")
  if prefix and names[prefix] then return prefix end
  return nil
end

local function prefix_caption(caption, label)
  local blocks = caption.long
  if #blocks == 0 then
    blocks:insert(pandoc.Plain({ pandoc.Str(label) }))
  else
    local first = blocks[1]
    first.content:insert(1, pandoc.Space())
    first.content:insert(1, pandoc.Str(label .. ":"))
  end
end

-- A reference to a label no table or figure carries: as Quarto, warn (naming the label) and print "?@label"
-- rather than fail. The renderer passes the warning on to the user (pipeline/report/render.py).
local function unresolved(id)
  io.stderr:write("WARNING (crossref): unresolved cross-reference @" .. id .. "\n")
  return pandoc.Strong({ pandoc.Str("?@" .. id) })
end

-- A chart's alternative text (fig-alt, as Quarto reads it): Typst's image(alt: ...), which the PDF's Figure tag
-- carries, and the HTML's alt attribute (instead of the caption pandoc would repeat there).
local function with_alt(el)
  local alt = el.attributes["fig-alt"]
  if not alt then return nil end
  el.attributes["fig-alt"] = nil
  if FORMAT:match("typst") then
    local text = alt:gsub("\\", "\\\\"):gsub('"', '\\"')
    return pandoc.RawInline("typst", '#image("' .. el.src .. '", alt: "' .. text .. '")')
  end
  el.attributes["alt"] = alt
  return el
end

local function labels_of(doc)
  local labels = {}
  local function note(el) if kind_of(el.identifier) then labels[el.identifier] = true end end
  doc:walk({ Figure = note, Table = note, Div = note, Image = note })
  return labels
end

function Pandoc(doc)
  local labels = labels_of(doc)
  if FORMAT:match("typst") then
    return doc:walk({
      Image = with_alt,
      Cite = function(el)
        local id = el.citations[1].id
        if kind_of(id) then
          if not labels[id] then return unresolved(id) end
          return pandoc.RawInline("typst", "@" .. id)
        end
      end,
    })
  end

  local numbers, counters, section = {}, { fig = 0, tbl = 0 }, 0
  local function number(el)
    local kind = kind_of(el.identifier)
    if kind then
      counters[kind] = counters[kind] + 1
      numbers[el.identifier] = names[kind] .. " " .. counters[kind]
      prefix_caption(el.caption, numbers[el.identifier])
      return el
    end
  end
  doc = doc:walk({
    traverse = "topdown",
    Figure = number,
    Table = number,
    Header = function(el)
      if el.level == 1 and not el.classes:includes("unnumbered") then
        section = section + 1
        el.content:insert(1, pandoc.Space())
        el.content:insert(1, pandoc.Str(section .. "."))
        return el
      end
    end,
  })
  return doc:walk({
    Image = with_alt,
    Cite = function(el)
      local id = el.citations[1].id
      if numbers[id] then return pandoc.Link({ pandoc.Str(numbers[id]) }, "#" .. id) end
      if kind_of(id) then return unresolved(id) end
    end,
  })
end
