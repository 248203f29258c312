// GraphiQL on the warehouse's /graphql. Schema docs and completion come from the standard introspection query, with
// deprecated arguments and the schema description, both of which the server answers. ?query= (and ?variables=)
// open a query, as the dashboard's "GraphQL" links do.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import { authHeaders } from '../shared/api.js';
import './graphiql.css';

const welcome = `# gaugeNN's GraphQL API. Ctrl-Enter runs a query; Ctrl-Space completes; the book icon opens the schema docs.
{
  snapshots {
    id
    apps
    dlApps
    formats { name modelFiles }
  }
}
`;

const params = new URLSearchParams(location.search);
const headers = authHeaders();
const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', location.href).href, headers });

createRoot(document.getElementById('graphiql')).render(
  h(GraphiQL, {
    fetcher,
    defaultQuery: welcome,
    query: params.get('query') ?? undefined,
    variables: params.get('variables') ?? undefined,
    headers: Object.keys(headers).length ? JSON.stringify(headers, null, 2) : undefined,
    inputValueDeprecation: true,
    schemaDescription: true,
  },
  h(GraphiQL.Logo, null, h('a', { href: '/', title: 'back to the dashboard' }, 'gaugeNN'))),
);
