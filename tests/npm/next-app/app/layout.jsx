// A Next.js (App Router) app: Baton's provider in the root layout, through a client component.
import Help from './help';

export const metadata = { title: 'Next app' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>
        <Help>{children}</Help>
      </body>
    </html>
  );
}
