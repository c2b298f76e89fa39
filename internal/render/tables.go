package render

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A tableBox holds a table in a box that scrolls on its own when the table
// is wider than the screen, so that the page itself never does. The box
// can take the focus, so that a keyboard can scroll it too.
type tableBox struct{ ast.BaseBlock }

var kindTableBox = ast.NewNodeKind("TableBox")

func (b *tableBox) Kind() ast.NodeKind { return kindTableBox }

func (b *tableBox) Dump(src []byte, level int) { ast.DumpHelper(b, src, level, nil, nil) }

// boxTables puts every table of a document in a tableBox.
type boxTables struct{}

func (boxTables) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var tables []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == east.KindTable {
			tables = append(tables, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tables {
		box := &tableBox{}
		t.Parent().ReplaceChild(t.Parent(), t, box)
		box.AppendChild(box, t)
	}
}

// tableBoxHTML renders a tableBox.
type tableBoxHTML struct{}

func (tableBoxHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTableBox, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(`<div class="table-box" tabindex="0">` + "\n")
		} else {
			w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	})
}
