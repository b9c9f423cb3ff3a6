// A React app as a team would write it: React Router for pages, Baton through the npm package.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { BatonProvider, useBaton, useBatonEvent } from 'baton-widget/react';

window.__opens = 0;
window.__viewed = [];

// Listens through useBaton().on: the listener must go when this component unmounts.
function OpenCounter() {
  const baton = useBaton();
  useEffect(() => baton.on('open', () => window.__opens++), [baton]);
  return <p id="counter">counting opens</p>;
}

function Toolbar() {
  const { ready, open, identify } = useBaton();
  const [counting, setCounting] = useState(true);
  useBatonEvent('article-viewed', (e) => window.__viewed.push(e.id));
  return (
    <nav>
      <Link id="to-billing" to="/billing">Billing</Link>
      <button id="open" onClick={() => { identify({ id: 'u-1', email: 'ada@example.com' }); open(); }}>Get help</button>
      <button id="toggle-counter" onClick={() => setCounting((c) => !c)}>toggle counter</button>
      <output id="ready">{String(ready)}</output>
      {counting && <OpenCounter />}
    </nav>
  );
}

// The provider's config follows the app's state: a new title is merged into Baton's config.
function App() {
  const [title, setTitle] = useState('Ledgerly help');
  return (
    <BatonProvider base="/baton/" config={{ kb: '/demo-kb.json', title }}>
      <button id="rename" onClick={() => setTitle('Renamed help')}>rename</button>
      <BrowserRouter>
        <Toolbar />
        <Routes>
          <Route path="/" element={<h1>Home</h1>} />
          <Route path="/billing" element={<h1>Billing</h1>} />
        </Routes>
      </BrowserRouter>
    </BatonProvider>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
