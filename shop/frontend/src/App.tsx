// The app shell: routes under /app/, the header, and the silent login on start.
import { useEffect, useState, type ReactNode } from "react";
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from "react-router";

import { logout, refreshAccessToken } from "./api/auth";
import { CartProvider, useCart } from "./cart";
import { useLoggedIn } from "./hooks";
import CartPage from "./pages/CartPage";
import Catalog from "./pages/Catalog";
import Checkout from "./pages/Checkout";
import Login from "./pages/Login";
import OrderPage from "./pages/OrderPage";
import Orders from "./pages/Orders";
import ProductPage from "./pages/ProductPage";

function Header() {
  const loggedIn = useLoggedIn();
  const { lines } = useCart();
  const count = lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <header className="site-header">
      <Link to="/" className="brand">Capstone Shop</Link>
      <nav>
        <Link to="/">Catalog</Link>
        <Link to="/cart">Cart ({count})</Link>
        {loggedIn ? (
          <>
            <Link to="/orders">My orders</Link>
            <button type="button" className="link" onClick={() => void logout()}>Log out</button>
          </>
        ) : (
          <Link to="/login">Log in</Link>
        )}
      </nav>
    </header>
  );
}

/** Pages that need a login send the visitor to /login and back here afterwards. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const loggedIn = useLoggedIn();
  const location = useLocation();
  if (!loggedIn) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  return children;
}

export default function App() {
  // A reload forgets the access token (it lived in memory): the refresh cookie brings it back
  // without a password. Until that answer arrives we render nothing that depends on it.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void refreshAccessToken().finally(() => setReady(true));
  }, []);
  if (!ready) return <p className="loading">Loading…</p>;

  return (
    <BrowserRouter basename="/app">
      <CartProvider>
        <Header />
        <main>
          <Routes>
            <Route path="/" element={<Catalog />} />
            <Route path="/products/:slug" element={<ProductPage />} />
            <Route path="/cart" element={<CartPage />} />
            <Route path="/login" element={<Login />} />
            <Route path="/checkout" element={<RequireLogin><Checkout /></RequireLogin>} />
            <Route path="/orders" element={<RequireLogin><Orders /></RequireLogin>} />
            <Route path="/orders/:id" element={<RequireLogin><OrderPage /></RequireLogin>} />
            <Route path="*" element={<p>Nothing here. <Link to="/">Back to the catalog</Link></p>} />
          </Routes>
        </main>
      </CartProvider>
    </BrowserRouter>
  );
}
