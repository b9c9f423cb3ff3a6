'use client';
import Link from 'next/link';
import { BatonProvider, useBaton } from 'baton-widget/react';

function Toolbar() {
  const { ready, open } = useBaton();
  return (
    <nav>
      <Link id="to-billing" href="/billing">Billing</Link>
      <button id="open" onClick={() => open()}>Get help</button>
      <output id="ready">{String(ready)}</output>
    </nav>
  );
}

export default function Help({ children }) {
  return (
    <BatonProvider base="/baton/" config={{ kb: '/demo-kb.json' }}>
      <Toolbar />
      {children}
    </BatonProvider>
  );
}
