# Reporting function exposed through a function URL (Terraform-managed part of the stack).
resource "aws_lambda_function_url" "reports" {
  function_name      = aws_lambda_function.reports.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_function" "reports" {
  function_name = "tidewater-reports"
  role          = aws_iam_role.reports.arn
  handler       = "reports.handler"
  runtime       = "python3.12"
  filename      = "reports.zip"
}

resource "aws_s3_bucket" "exports" {
  bucket = "tidewater-client-exports"
}

resource "aws_s3_bucket_public_access_block" "exports" {
  bucket                  = aws_s3_bucket.exports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
