namespace GaugeNN.Api.Http;

/// <summary>A self-contained query page (no CDN: the machine may have no network), served when the front-end is not built.</summary>
internal static class ExplorerPage
{
    public const string Html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>gaugeNN GraphQL</title>
        <style>body{font-family:sans-serif;margin:1em}textarea{width:100%;height:14em;font-family:monospace}
        pre{background:#f4f4f4;padding:1em;overflow:auto}</style></head>
        <body><h1>gaugeNN</h1><p>The dashboard and GraphiQL are not built into this binary (src/Api/Web). GraphQL is at /graphql (POST JSON {"query": "…"}, or GET ?query=…); tables at /download/TABLE.parquet. Try a query:</p>
        <textarea id="q">{ snapshots { id apps dlApps modelFiles encryptedModelFiles uniqueModels formats { name modelFiles } } }</textarea>
        <p><button onclick="run()">Run</button></p><pre id="out"></pre>
        <script>
        async function run(){const r=await fetch('/graphql',{method:'POST',headers:{'content-type':'application/json'},
        body:JSON.stringify({query:document.getElementById('q').value})});
        document.getElementById('out').textContent=JSON.stringify(await r.json(),null,2);}
        </script></body></html>
        """;
}
