"""The report page's stylesheet, inlined into index.html (no external assets; system fonts)."""

CSS = """
:root { --ink: #1d2430; --muted: #5d6878; --line: #dde2ea; --bg: #f5f7fa; --accent: #2f6fde; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
       "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header, section, footer { max-width: 1400px; margin: 0 auto; padding: 16px 24px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 8px 0 4px; font-size: 20px; border-bottom: 2px solid var(--line);
     padding-bottom: 4px; }
h3 { margin: 14px 0 6px; font-size: 14px; color: var(--muted); font-weight: 600; }
.meta, .intro, .note, .more, .empty { color: var(--muted); margin: 2px 0; }
.note { font-style: italic; }
.warning { color: #a04400; background: #fff3e0; padding: 6px 10px; border-radius: 6px; }
nav { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0 4px; }
.tile { display: flex; flex-direction: column; min-width: 140px; padding: 10px 14px;
        background: #fff; border: 1px solid var(--line); border-radius: 10px;
        color: var(--muted); text-decoration: none; }
.tile b { font-size: 22px; color: var(--ink); }
.block { background: #fff; border: 1px solid var(--line); border-radius: 10px;
         padding: 4px 12px 10px; margin: 10px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
section > .cards { background: #fff; border: 1px solid var(--line); border-radius: 10px;
                   padding: 12px; }
.card { margin: 0; width: 176px; padding: 8px; border: 1px solid var(--line);
        border-radius: 8px; background: #fff; }
.card.rep { border: 2px solid var(--accent); }
.card.best { border: 2px solid #c99a00; }
.card img, .nothumb { display: block; width: 160px; height: 160px; object-fit: contain;
                      background: #eef1f5; border-radius: 4px; }
.nothumb { display: flex; align-items: center; justify-content: center; color: var(--muted); }
figcaption { display: flex; flex-direction: column; margin-top: 6px; font-size: 12px; }
figcaption span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.name { font-weight: 600; }
.folder, .stat { color: var(--muted); }
figcaption .flags { white-space: normal; }
.flag { display: inline-block; margin: 3px 4px 0 0; padding: 0 6px; border-radius: 9px;
        font-size: 11px; width: fit-content; background: #eceff4; color: #394150; }
.flag.blurry { background: #e8eefc; color: #24499a; }
.flag.dark { background: #2b2f36; color: #f1f1f1; }
.flag.bright { background: #fff6cc; color: #6b5500; }
.flag.tiny { background: #f3e8fb; color: #6a2f91; }
footer { color: var(--muted); padding-bottom: 40px; }
a { color: var(--accent); }
"""
