// Swagger UI over this server's OpenAPI schema (swagger-ui-dist from npm).
if (window.SwaggerUIBundle) {
  window.SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
} else {
  document.getElementById("swagger-ui").textContent =
    "Swagger UI is not installed (run make install); the schema is at /api/openapi.json.";
}
